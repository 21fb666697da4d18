package org.tianshu.api.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Timed operations (requests, decisions) summed per series until {@link #drain} turns each series into one point:
 * fields {@code count}, {@code latency_<unit>} (mean), {@code latency_<unit>_max} and, when named, the sum of an
 * amount. Adding is one map update under a lock, so a busy second costs one point per series, not one per operation.
 * Thread-safe.
 */
public final class TimingSums {
    private static final class Sum {
        long count;
        long amount;
        long nanos;
        long maxNanos;
    }

    private final String measurement;
    private final String latencyField;
    private final double nanosPerUnit;
    private final String amountField;
    private Map<Map<String, String>, Sum> open = new HashMap<>();

    /**
     * @param measurement the points' measurement
     * @param unit {@code ms} or {@code us}: the latency fields' unit and name suffix
     * @param amountField name of the summed amount's field, or null for none
     */
    public TimingSums(String measurement, String unit, String amountField) {
        this.measurement = measurement;
        this.latencyField = "latency_" + unit;
        this.nanosPerUnit = switch (unit) {
            case "ms" -> 1e6;
            case "us" -> 1e3;
            default -> throw new IllegalArgumentException("unit must be ms or us, got " + unit);
        };
        this.amountField = amountField;
    }

    /** Counts one operation of the series {@code tags} that took {@code nanos} and adds {@code amount}. */
    public void add(Map<String, String> tags, long nanos, long amount) {
        synchronized (this) {
            Sum s = open.computeIfAbsent(tags, k -> new Sum());
            s.count++;
            s.amount += amount;
            s.nanos += nanos;
            s.maxNanos = Math.max(s.maxNanos, nanos);
        }
    }

    /** One point per series added to since the last drain, at {@code at}; empty when nothing was added. */
    public List<MetricPoint> drain(Instant at) {
        Map<Map<String, String>, Sum> done;
        synchronized (this) {
            if (open.isEmpty()) {
                return List.of();
            }
            done = open;
            open = new HashMap<>();
        }
        List<MetricPoint> points = new ArrayList<>(done.size());
        done.forEach((tags, s) -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("count", s.count);
            fields.put(latencyField, s.nanos / nanosPerUnit / s.count);
            fields.put(latencyField + "_max", s.maxNanos / nanosPerUnit);
            if (amountField != null) {
                fields.put(amountField, s.amount);
            }
            points.add(new MetricPoint(measurement, tags, fields, at));
        });
        return points;
    }
}
