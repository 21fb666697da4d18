package org.tianshu.api.dr;

import java.time.Instant;
import java.util.List;

/**
 * One operation on a recovery plan, with its journalled steps.
 *
 * @param id identifier
 * @param planId the plan
 * @param groupId the plan's protection group
 * @param operation what it does
 * @param state where it is
 * @param requestedBy who started it
 * @param startedAt when it started
 * @param finishedAt when it settled, null while running
 * @param recoveryPoint time of the oldest copy the run recovered from, null when it recovered none
 * @param network the network copies came up in (the test network for drills)
 * @param error why it failed, null otherwise
 * @param steps the steps, in order
 */
public record DrRun(String id, String planId, String groupId, DrOperation operation, RunState state,
        String requestedBy, Instant startedAt, Instant finishedAt, Instant recoveryPoint, String network, String error,
        List<DrStep> steps) {
    public DrRun {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }
}
