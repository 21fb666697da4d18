package org.tianshu.api.integration;

import java.time.Instant;

/**
 * An action Tianshu proposes and a human decides on; Tianshu never carries it out by itself.
 *
 * @param id sequence number
 * @param kind what is proposed
 * @param subject what it is about, e.g. {@code site/chengdu-dc1} or {@code cloud/chengdu-os}
 * @param reason why, from the event that raised it
 * @param state PENDING until approved or rejected
 * @param createdAt when it was proposed
 * @param decidedBy who approved or rejected it, null while pending
 * @param decidedAt when, null while pending
 * @param note the decider's note, may be null
 */
public record Recommendation(long id, RecommendationKind kind, String subject, String reason,
        RecommendationState state, Instant createdAt, String decidedBy, Instant decidedAt, String note) {
}
