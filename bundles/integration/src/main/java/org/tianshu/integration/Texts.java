package org.tianshu.integration;

import java.util.Map;
import java.util.TreeMap;
import org.tianshu.api.event.Event;

/** Short texts made of events, for alarms, recommendations and the audit log. */
final class Texts {
    private Texts() {
    }

    /** {@code LINK_DOWN link/r1-r2 {cause=fibre cut}}: type, subject and sorted attributes. */
    static String describe(Event e) {
        String attributes = e.attributes().isEmpty() ? "" : " " + attributes(e.attributes());
        return e.type() + " " + e.subject() + attributes;
    }

    /** Sorted {@code {k=v, ...}}, or null when empty. */
    static String attributes(Map<String, String> attributes) {
        return attributes.isEmpty() ? null : new TreeMap<>(attributes).toString();
    }

    /** At most {@code max} characters. */
    static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
