package org.tianshu.adapter.influxdb;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tianshu.api.metrics.MetricPoint;

/**
 * InfluxDB line protocol, written straight into a buffer: {@code measurement,tag=v field=1i,f=0.5,s="x" <ns>}.
 * Tags are sorted (what InfluxDB prefers), integers carry {@code i}, strings are quoted; a double that is not finite
 * cannot be stored and is left out, and a point left without fields is skipped.
 */
public final class LineProtocol {
    private LineProtocol() {
    }

    /** Appends the point and a newline; false if it had nothing storable and was skipped. */
    public static boolean append(MetricPoint p, StringBuilder b) {
        int start = b.length();
        escape(p.measurement(), false, b);
        if (p.tags().size() == 1) {
            tag(p.tags().entrySet().iterator().next(), b);
        } else if (!p.tags().isEmpty()) {
            p.tags().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(t -> tag(t, b));
        }
        char separator = ' ';
        for (Map.Entry<String, Object> f : p.fields().entrySet()) {
            Object v = f.getValue();
            if (v instanceof Double d && !Double.isFinite(d)) {
                continue;
            }
            b.append(separator);
            separator = ',';
            escape(f.getKey(), true, b);
            b.append('=');
            if (v instanceof String s) {
                b.append('"');
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c == '"' || c == '\\') {
                        b.append('\\');
                    }
                    b.append(c);
                }
                b.append('"');
            } else if (v instanceof Long || v instanceof Integer) {
                b.append(v).append('i');
            } else {
                b.append(v);
            }
        }
        if (separator == ' ') {
            b.setLength(start);
            return false;
        }
        b.append(' ').append(TimeUnit.SECONDS.toNanos(p.time().getEpochSecond()) + p.time().getNano()).append('\n');
        return true;
    }

    private static void tag(Map.Entry<String, String> t, StringBuilder b) {
        if (t.getValue() == null || t.getValue().isEmpty()) {
            return;
        }
        b.append(',');
        escape(t.getKey(), true, b);
        b.append('=');
        escape(t.getValue(), true, b);
    }

    /** Backslash before commas and spaces, and before {@code =} in keys and tag values; newlines become spaces. */
    private static void escape(String s, boolean equals, StringBuilder b) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                b.append("\\ ");
                continue;
            }
            if (c == ',' || c == ' ' || (equals && c == '=')) {
                b.append('\\');
            }
            b.append(c);
        }
    }
}
