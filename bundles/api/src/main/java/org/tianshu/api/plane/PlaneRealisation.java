package org.tianshu.api.plane;

import java.util.List;

/**
 * Everything the network needs to carry one business plane: what the planner computed from the plane's intent and
 * what a {@link NetworkController} configures on the routers.
 *
 * @param plane    the plane's name, unique
 * @param table    the plane's number, unique among planes, 1 to 250 000: the routing table (VRF) that isolates the
 *                 plane's routes on every provider edge
 * @param sites    the plane's sites
 * @param policies the SR policies between its sites, primaries and backups
 */
public record PlaneRealisation(String plane, int table, List<SiteBinding> sites, List<SrPolicy> policies) {
    /** Copies both lists. */
    public PlaneRealisation {
        sites = List.copyOf(sites);
        policies = List.copyOf(policies);
    }
}
