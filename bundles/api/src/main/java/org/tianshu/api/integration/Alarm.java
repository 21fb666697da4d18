package org.tianshu.api.integration;

import java.time.Instant;

/**
 * An alarm raised by an event, e.g. a business plane that missed its service level objective.
 *
 * @param id sequence number
 * @param source the event type that raised it, e.g. {@code PLANE_SLO_VIOLATED}
 * @param subject what it is about, e.g. {@code plane/video}
 * @param message what happened, from the event's attributes
 * @param state OPEN, ACKNOWLEDGED or CLEARED
 * @param raisedAt when it was raised
 * @param acknowledgedBy who acknowledged it, null while not acknowledged
 * @param acknowledgedAt when it was acknowledged, null while not acknowledged
 * @param clearedAt when the condition ended (e.g. PLANE_SLO_RESTORED), null while it lasts
 */
public record Alarm(long id, String source, String subject, String message, AlarmState state, Instant raisedAt,
        String acknowledgedBy, Instant acknowledgedAt, Instant clearedAt) {
}
