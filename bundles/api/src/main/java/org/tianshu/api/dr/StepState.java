package org.tianshu.api.dr;

/** State of a step. */
public enum StepState {
    PENDING, RUNNING, DONE, FAILED,
    /** Not run because a step it needed failed. */
    SKIPPED
}
