package org.tianshu.metrics;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tianshu.api.cloud.CapacitySummary;
import org.tianshu.api.event.Event;
import org.tianshu.api.metrics.Measurements;
import org.tianshu.api.metrics.MetricPoint;

/** Maps events and capacity summaries to metric points with the tags a Grafana user filters on. */
public final class PointMapper {
    /** Measurement of events: one point per event, field {@code count=1}. */
    public static final String EVENTS = Measurements.EVENTS;
    /** Measurement of sampled capacity and allocation per cloud. */
    public static final String CAPACITY = Measurements.CAPACITY;
    /** Event attributes that become tags (few distinct values); the others become string fields. */
    private static final java.util.Set<String> TAG_ATTRIBUTES = java.util.Set.of("state", "outcome");

    /** The {@code type} tag of each event type, made once (the lower-casing was a fair share of the mapping). */
    private static final Long ONE = 1L;
    private static final String[] TYPE_TAGS = Arrays.stream(org.tianshu.api.event.EventType.values())
            .map(t -> t.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    private PointMapper() {
    }

    /**
     * Tags {@code type}, {@code cloud}, {@code department} and low-cardinality attributes; fields {@code count},
     * {@code subject} and the other attributes. The point's maps are built immutable at once (no intermediate maps: this
     * runs for every event).
     */
    @SuppressWarnings("unchecked")
    public static MetricPoint event(Event e) {
        Map<String, String> attributes = e.attributes();
        Map.Entry<String, String>[] tags = new Map.Entry[3 + attributes.size()];
        Map.Entry<String, Object>[] fields = new Map.Entry[2 + attributes.size()];
        int t = 0;
        int f = 0;
        tags[t++] = Map.entry("type", TYPE_TAGS[e.type().ordinal()]);
        if (e.cloudId() != null) {
            tags[t++] = Map.entry("cloud", e.cloudId());
        }
        if (e.departmentId() != null) {
            tags[t++] = Map.entry("department", e.departmentId());
        }
        fields[f++] = Map.entry("count", ONE);
        fields[f++] = Map.entry("subject", e.subject());
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            String k = a.getKey();
            String v = a.getValue();
            if (v == null) {
                continue;
            }
            if (TAG_ATTRIBUTES.contains(k)) {
                tags[t++] = Map.entry(k, v);
            } else if (!k.equals("count") && !k.equals("subject")) {
                fields[f++] = Map.entry(k, v);
            }
        }
        return new MetricPoint(EVENTS, Map.ofEntries(t == tags.length ? tags : Arrays.copyOf(tags, t)),
                Map.ofEntries(f == fields.length ? fields : Arrays.copyOf(fields, f)), e.at());
    }

    /** Tags {@code cloud} and {@code city} (when known); capacity and allocation of cpu, memory, disk and GPUs, hosts and workloads. */
    public static MetricPoint capacity(CapacitySummary c, String city, Instant at) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("cloud", c.cloudId());
        if (city != null && !city.isBlank()) {
            tags.put("city", city);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("cpu_capacity_millis", c.capacity().cpuMillis());
        f.put("cpu_allocated_millis", c.allocated().cpuMillis());
        f.put("memory_capacity_mib", c.capacity().memoryMiB());
        f.put("memory_allocated_mib", c.allocated().memoryMiB());
        f.put("disk_capacity_gib", c.capacity().diskGiB());
        f.put("disk_allocated_gib", c.allocated().diskGiB());
        f.put("gpus_capacity", c.capacity().gpus());
        f.put("gpus_allocated", c.allocated().gpus());
        f.put("hosts", (long) c.hosts());
        f.put("workloads", (long) c.workloads());
        return new MetricPoint(CAPACITY, tags, f, at);
    }
}
