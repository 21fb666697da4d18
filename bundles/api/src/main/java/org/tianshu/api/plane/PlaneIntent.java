package org.tianshu.api.plane;

import java.util.List;

/**
 * What a network engineer declares for a business plane; the planner turns it into prefixes, SIDs and paths.
 *
 * @param name          unique, lower-case id, e.g. {@code egov-office}
 * @param departments   ids of the owning departments, at least one
 * @param sites         the sites, at least two, names and attachments unique
 * @param connectivity  which sites reach each other
 * @param hub           the hub site's name for {@link Connectivity#HUB_AND_SPOKE}; null otherwise
 * @param isolation     shared with QoS, or hard (reserved bandwidth)
 * @param slo           the service levels
 * @param protection    none, or 1+1 on SRLG-disjoint paths
 * @param addressFamily dual stack or IPv6 only
 */
public record PlaneIntent(String name, List<String> departments, List<PlaneSite> sites, Connectivity connectivity,
        String hub, Isolation isolation, Slo slo, Protection protection, AddressFamily addressFamily) {
    /** Copies the lists (null means empty); null enums and SLO take their defaults. */
    public PlaneIntent {
        departments = departments == null ? List.of() : List.copyOf(departments);
        sites = sites == null ? List.of() : List.copyOf(sites);
        connectivity = connectivity == null ? Connectivity.ANY_TO_ANY : connectivity;
        isolation = isolation == null ? Isolation.SHARED_QOS : isolation;
        slo = slo == null ? Slo.BEST_EFFORT : slo;
        protection = protection == null ? Protection.NONE : protection;
        addressFamily = addressFamily == null ? AddressFamily.DUAL_STACK : addressFamily;
    }

    /** The same intent with another guaranteed bandwidth. */
    public PlaneIntent withBandwidth(long mbps) {
        return new PlaneIntent(name, departments, sites, connectivity, hub, isolation, slo.withBandwidth(mbps), protection,
                addressFamily);
    }
}
