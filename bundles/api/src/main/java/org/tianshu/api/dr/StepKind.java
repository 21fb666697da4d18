package org.tianshu.api.dr;

/** What one step of a run does. */
public enum StepKind {
    /** Creates the isolated test network of a drill. */
    ISOLATE,
    /** Copies a workload's latest state to the recovery cloud. */
    SYNC,
    /** Stops a workload on the protected cloud. */
    STOP,
    /** Brings a copy up on the recovery cloud and waits until it is active. */
    BRING_UP,
    /** Runs a hook. */
    CHECK,
    /** Barrier: every workload of a priority group is up and checked. */
    GROUP_UP,
    /** Removes a drill instance. */
    REMOVE,
    /** Removes the isolated test network. */
    DROP_NETWORK,
    /** Swaps the group's sides (the recovered workloads become the protected ones). */
    SWAP_SIDES
}
