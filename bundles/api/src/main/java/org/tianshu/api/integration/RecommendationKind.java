package org.tianshu.api.integration;

/** What a recommendation proposes. */
public enum RecommendationKind {
    /** Fail a protected site or cloud over to its recovery site. */
    FAILOVER,
    /** Move load off a cloud or host that crossed a capacity threshold. */
    REBALANCE
}
