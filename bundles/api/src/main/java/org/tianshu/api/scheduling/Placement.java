package org.tianshu.api.scheduling;

import java.util.List;

/**
 * The answer to a {@link PlacementRequest}.
 *
 * @param outcome placed, feasible (dry run) or refused
 * @param reservationId what to {@link SchedulerService#release} later; null unless {@link Outcome#PLACED}
 * @param decision where each member goes, ordered by member; empty when refused
 * @param explanation why
 */
public record Placement(Outcome outcome, String reservationId, List<MemberPlacement> decision,
        PlacementExplanation explanation) {
    /** What happened to a request. */
    public enum Outcome {
        /** Placed: host capacity and quota are reserved. */
        PLACED,
        /** Dry run: it would be placed as shown; nothing is reserved. */
        FEASIBLE,
        /** Refused: {@link PlacementExplanation#refusedBy()} says why; nothing is reserved. */
        REFUSED
    }

    public Placement {
        decision = List.copyOf(decision);
    }
}
