package org.tianshu.api.plane;

import java.util.List;

/**
 * The migration of a department's private network into a business plane ("专网迁并整"): its sites and prefixes,
 * imported once, then cut over site by site.
 *
 * @param network the private network's name, unique among migrations
 * @param plane   the target plane's settings (name, departments, connectivity, isolation, SLOs, protection, address
 *                family); its sites are those the plane has besides the migrated ones, usually none
 * @param sites   the private network's sites
 */
public record MigrationPlan(String network, PlaneIntent plane, List<LegacySite> sites) {
    /** Copies the site list. */
    public MigrationPlan {
        sites = sites == null ? List.of() : List.copyOf(sites);
    }
}
