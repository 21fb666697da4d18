package org.tianshu.api.dr;

/** What a run of a recovery plan does. */
public enum DrOperation {
    /** Test recovery: copies come up in the plan's isolated test network; production is not touched. */
    DRILL,
    /** Removes what a drill brought up (started by the drill itself when the plan says autoCleanup). */
    CLEANUP,
    /** Final sync, stop production, recover on the recovery cloud. */
    PLANNED_MIGRATION,
    /** Recover on the recovery cloud from the latest copies, production being unreachable; needs confirmation. */
    FAILOVER,
    /** After a recovery: swap the sides and replicate back to the former protected cloud. */
    REPROTECT,
    /** Back home after a reprotect: planned migration to the original cloud, then reprotect again. */
    FAILBACK;

    /** True if the run changes production and must be confirmed explicitly. */
    public boolean needsConfirmation() {
        return this == FAILOVER;
    }
}
