package org.tianshu.api.cloud;

/** Lifecycle state of a workload as its cloud reports it. */
public enum WorkloadState {
    /** Being created or scaled up. */
    BUILDING,
    /** Running (OpenStack ACTIVE, all Kubernetes replicas ready). */
    ACTIVE,
    /** Stopped or scaled to zero. */
    STOPPED,
    /** The cloud reports a failure. */
    ERROR,
    /** The cloud no longer has it. */
    GONE
}
