package org.tianshu.api.scheduling;

/** The soft criteria that {@link PlacementScorer}s provide, weighted by {@link Preferences}. */
public enum ScoringCriterion {
    /** Price of the capacity (cheaper scores higher). */
    COST,
    /** Energy efficiency of the data centre (lower PUE scores higher). */
    ENERGY,
    /** Network latency from the department's site to the cloud (closer scores higher). */
    LATENCY
}
