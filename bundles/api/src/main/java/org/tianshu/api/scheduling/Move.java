package org.tianshu.api.scheduling;

import org.tianshu.api.Resources;

/**
 * One move of a {@link RebalancePlan}: a workload from one host to another of the same cloud.
 *
 * @param index position in the plan, from 0; moves run in this order
 * @param cloudId the cloud
 * @param externalId the workload's id in the cloud
 * @param requestId the provisioning request that created it (its scheduler reservation), null if none
 * @param workload the workload's name
 * @param fromHost where it runs when planned
 * @param toHost where it goes
 * @param resources what it claims
 * @param reason why it moves (which overloaded host it relieves, or which host it frees)
 * @param state where the move stands
 * @param error why it failed, null otherwise
 */
public record Move(int index, String cloudId, String externalId, String requestId, String workload, String fromHost, String toHost,
        Resources resources, String reason, State state, String error) {
    /** Where a move stands. */
    public enum State {
        /** Not started. */
        PENDING,
        /** Asked of the cloud; waiting for the workload to run on the target. */
        MOVING,
        /** Runs on the target. */
        DONE,
        /** The cloud refused or did not finish in time; the workload stays wherever the cloud left it. */
        FAILED
    }
}
