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
        int n = p.tags().size();
        if (n == 1) {
            tag(p.tags().entrySet().iterator().next(), b);
        } else if (n > 1) {
            // an insertion sort of the few tags (a sorted stream cost more than the rest of the line)
            @SuppressWarnings("unchecked")
            Map.Entry<String, String>[] sorted = new Map.Entry[n];
            int k = 0;
            for (Map.Entry<String, String> t : p.tags().entrySet()) {
                int i = k++;
                while (i > 0 && sorted[i - 1].getKey().compareTo(t.getKey()) > 0) {
                    sorted[i] = sorted[i - 1];
                    i--;
                }
                sorted[i] = t;
            }
            for (Map.Entry<String, String> t : sorted) {
                tag(t, b);
            }
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
                b.append(((Number) v).longValue()).append('i');
            } else if (v instanceof Double d) {
                b.append(d.doubleValue());
            } else if (v instanceof Boolean ok) {
                b.append(ok.booleanValue());
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
        int clean = 0;
        while (clean < s.length() && !special(s.charAt(clean), equals)) {
            clean++;
        }
        if (clean == s.length()) {
            // most names and values need nothing escaped: appended at once
            b.append(s);
            return;
        }
        b.append(s, 0, clean);
        for (int i = clean; i < s.length(); i++) {
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

    private static boolean special(char c, boolean equals) {
        return c == ',' || c == ' ' || c == '\n' || c == '\r' || (equals && c == '=');
    }
}
