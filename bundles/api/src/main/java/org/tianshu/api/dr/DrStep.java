package org.tianshu.api.dr;

import java.time.Duration;
import java.time.Instant;

/**
 * One journalled step of a run.
 *
 * @param seq position in the run
 * @param kind what it does
 * @param workload the workload (or hook name for plan hooks), null for network and barrier steps
 * @param priority the priority group, 0 outside priority groups
 * @param state where it is
 * @param startedAt when it started, null before
 * @param finishedAt when it ended, null before
 * @param detail outcome: the id brought up, the hook answer, or the error
 */
public record DrStep(int seq, StepKind kind, String workload, int priority, StepState state, Instant startedAt,
        Instant finishedAt, String detail) {
    /** How long it took, null unless finished. */
    public Duration duration() {
        return startedAt == null || finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }
}
