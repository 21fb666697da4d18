package org.tianshu.api.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened in Tianshu or in a cloud it manages.
 *
 * @param type what happened
 * @param subject what it happened to, e.g. {@code provisioning/7f3c...} or {@code cloud/chengdu-os}
 * @param departmentId the department concerned, null if none
 * @param cloudId the cloud concerned, null if none
 * @param attributes further details, e.g. {@code state=ACTIVE}; never null
 * @param at when it happened
 */
public record Event(EventType type, String subject, String departmentId, String cloudId,
        Map<String, String> attributes, Instant at) {
    public Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(at, "at");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** An event that happens now. */
    public static Event now(EventType type, String subject, String departmentId, String cloudId,
            Map<String, String> attributes) {
        return new Event(type, subject, departmentId, cloudId, attributes, Instant.now());
    }
}
