package org.tianshu.api.metrics;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One measurement at one time, in the InfluxDB data model without its types.
 *
 * @param measurement what is measured, e.g. {@code capacity}
 * @param tags indexed dimensions, e.g. {@code cloud=chengdu-os}; never null
 * @param fields values: {@link Long}, {@link Integer}, {@link Double}, {@link Boolean} or {@link String}; at least one
 * @param time when it was measured
 */
public record MetricPoint(String measurement, Map<String, String> tags, Map<String, Object> fields, Instant time) {
    public MetricPoint {
        Objects.requireNonNull(time, "time");
        if (measurement == null || measurement.isBlank()) {
            throw new IllegalArgumentException("measurement must not be blank");
        }
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        fields = fields == null ? Map.of() : Map.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a point needs at least one field: " + measurement);
        }
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            Object v = f.getValue();
            if (!(v instanceof Long || v instanceof Integer || v instanceof Double || v instanceof Boolean
                    || v instanceof String)) {
                throw new IllegalArgumentException("field " + f.getKey() + " of " + measurement
                        + " must be Long, Integer, Double, Boolean or String, got " + v.getClass().getName());
            }
        }
    }

    /** The series this point belongs to: measurement and sorted tags, e.g. {@code capacity,city=chengdu,cloud=c1}. */
    public String seriesKey() {
        StringBuilder b = new StringBuilder(measurement);
        tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(t -> b.append(',').append(t.getKey()).append('=').append(t.getValue()));
        return b.toString();
    }
}
