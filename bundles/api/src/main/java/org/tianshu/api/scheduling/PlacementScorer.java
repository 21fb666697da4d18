package org.tianshu.api.scheduling;

import org.tianshu.api.cloud.Cloud;

/**
 * SPI: scores clouds on one soft criterion, e.g. latency from the department's site fed by the network work.
 * Registered as an OSGi service; at most one per criterion is used. Called once per eligible cloud and request,
 * so it must be fast and must not block.
 */
public interface PlacementScorer {
    /** The criterion this scorer provides. */
    ScoringCriterion criterion();

    /** Score of {@code cloud} for {@code request}, from 0 (worst) to 1 (best); values outside are clamped. */
    double score(PlacementRequest request, Cloud cloud);
}
