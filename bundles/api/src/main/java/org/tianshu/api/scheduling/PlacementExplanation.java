package org.tianshu.api.scheduling;

import java.util.List;

/**
 * Why a request was placed where it was, or refused.
 *
 * @param summary one sentence for people
 * @param refusedBy the constraint that refused the request, null when it was placed (or is feasible on a dry run)
 * @param clouds a verdict for every cloud, ordered by cloud id
 * @param hosts a verdict for every host when the request asked for them, else empty
 */
public record PlacementExplanation(String summary, Constraint refusedBy, List<CloudVerdict> clouds, List<HostVerdict> hosts) {
    public PlacementExplanation {
        clouds = List.copyOf(clouds);
        hosts = List.copyOf(hosts);
    }
}
