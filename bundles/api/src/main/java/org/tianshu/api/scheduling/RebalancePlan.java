package org.tianshu.api.scheduling;

import java.time.Instant;
import java.util.List;

/**
 * A set of moves that relieves overloaded hosts and frees lightly used ones, never breaking a hard constraint:
 * moves stay in their cloud and availability zone, go only to hosts up with room below the overload threshold
 * (after overcommit), keep GPU workloads on hosts of their GPU type, never bring two members of an anti-affinity
 * group together, and leave members of affinity groups in place. Proposed, then approved, then executed as
 * journalled operations.
 *
 * @param id plan id
 * @param cloudId the cloud it was made for, null for every cloud
 * @param state where the plan stands
 * @param moves the moves, in order
 * @param relieved hosts it brings below the overload threshold, as {@code cloud/host}
 * @param freed hosts it empties, as {@code cloud/host}
 * @param summary one sentence for people
 * @param proposedBy who asked for it
 * @param approvedBy who approved it, null until approved
 * @param createdAt when it was proposed
 * @param updatedAt when its journal last changed
 */
public record RebalancePlan(String id, String cloudId, State state, List<Move> moves, List<String> relieved,
        List<String> freed, String summary, String proposedBy, String approvedBy, Instant createdAt, Instant updatedAt) {
    public RebalancePlan {
        moves = List.copyOf(moves);
        relieved = List.copyOf(relieved);
        freed = List.copyOf(freed);
    }

    /** Where a plan stands. */
    public enum State {
        /** Made, waiting for approval. */
        PROPOSED,
        /** Approved, waiting to be executed. */
        APPROVED,
        /** Moves are running. */
        EXECUTING,
        /** Every move is done. */
        DONE,
        /** Finished with at least one failed move. */
        FAILED
    }
}
