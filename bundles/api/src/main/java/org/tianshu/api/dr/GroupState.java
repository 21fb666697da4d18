package org.tianshu.api.dr;

/** Where a protection group's workloads run. */
public enum GroupState {
    /** Running on the protected cloud and replicated to the recovery cloud. */
    PROTECTED,
    /** Recovered on the recovery cloud (after a planned migration or failover), not yet protected again. */
    RECOVERED
}
