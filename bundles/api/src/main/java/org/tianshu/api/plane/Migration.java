package org.tianshu.api.plane;

import java.util.List;

/**
 * A migration and how far it got.
 *
 * @param plan  the imported plan
 * @param sites one entry per legacy site, in the plan's order
 */
public record Migration(MigrationPlan plan, List<Site> sites) {
    /** Copies the site list. */
    public Migration {
        sites = List.copyOf(sites);
    }

    /**
     * One legacy site's progress.
     *
     * @param site       the legacy site
     * @param cutOver    true once it is part of the plane
     * @param ipv6Prefix its IPv6 prefix in the plane after cut-over (the old one when kept); null before
     * @param ipv4Prefix its IPv4 prefix in the plane after cut-over; null before or for IPv6-only planes
     */
    public record Site(LegacySite site, boolean cutOver, String ipv6Prefix, String ipv4Prefix) {
    }

    /** True when every site is cut over. */
    public boolean complete() {
        return sites.stream().allMatch(Site::cutOver);
    }
}
