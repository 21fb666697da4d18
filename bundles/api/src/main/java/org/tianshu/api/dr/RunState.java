package org.tianshu.api.dr;

/** State of a run. */
public enum RunState {
    /** Steps are being carried out. */
    RUNNING,
    /** A drill is up and checked; it waits for its cleanup. */
    TEST_COMPLETE,
    /** Every step is done. */
    SUCCEEDED,
    /** A step failed; steps that needed it were skipped. Running the operation again resumes it. */
    FAILED;

    /** True once nothing more happens by itself. */
    public boolean settled() {
        return this != RUNNING;
    }
}
