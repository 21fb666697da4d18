package org.tianshu.api.integration;

/** Where a recommendation is in its life. */
public enum RecommendationState {
    /** Waiting for a human's decision. */
    PENDING,
    /** A human approved it; the decision is published as an event for the service that acts on it. */
    APPROVED,
    /** A human rejected it. */
    REJECTED
}
