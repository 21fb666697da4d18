package org.tianshu.api.dr;

import java.time.Duration;
import java.util.Map;

/**
 * The evidence of a run, for DR teams and auditors.
 *
 * @param run the run with every step's timing and outcome
 * @param rto measured recovery time: start of the run to the end of its last recovery step (null if none)
 * @param rtoByPriority per priority group, start of the run to the group being up
 * @param achievedRpo start of the run minus its recovery point (the data-loss window), null if none
 * @param cloudWait time during which at least one call to a cloud (or a wait for a workload to become
 *     active) was in flight, as measured by the process that ran the steps; null after a restart
 */
public record RecoveryReport(DrRun run, Duration rto, Map<Integer, Duration> rtoByPriority, Duration achievedRpo,
        Duration cloudWait) {
}
