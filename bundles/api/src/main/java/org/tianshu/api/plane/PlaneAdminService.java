package org.tianshu.api.plane;

import org.tianshu.api.Caller;

/**
 * Write side of business planes, for operators. Every change is validated before anything is reserved (INVALID or
 * NOT_FOUND naming the field, e.g. {@code sites[2].attachment}), admitted on the backbone as a whole (CONFLICT naming
 * the bottleneck when it does not fit), and journalled: it completes or is compensated, also after a crash.
 */
public interface PlaneAdminService {
    /**
     * Parses a plane file, YAML or JSON, into an intent; INVALID naming the field for a malformed value or an unknown
     * field. Format: see {@code lab/planes/README.md}.
     */
    PlaneIntent parse(String document);

    /** A dry run: validates and admits the intent without reserving, and says what applying it would change. */
    PlaneDiff plan(PlaneIntent intent, Caller caller);

    /**
     * Creates or updates a plane: plans prefixes and SIDs, reserves its paths, pushes it to the controller and
     * verifies it. A refused update leaves the plane as it was.
     */
    PlaneDiff apply(PlaneIntent intent, Caller caller);

    /** Removes a plane from the network and releases its reservations and prefixes; NOT_FOUND naming {@code name}. */
    void delete(String name, Caller caller);

    /** Changes a live plane's guaranteed bandwidth, re-admitting it; a refused change leaves the plane as it was. */
    Plane changeBandwidth(String name, long mbps, Caller caller);

    /**
     * Loads the controller's topology into path computation; planes are re-admitted on the new topology and pushed
     * again where their paths moved (a plane that no longer fits becomes {@link PlaneState#DEGRADED}).
     */
    Topology syncTopology(Caller caller);

    /** Parses a private network file (YAML or JSON) into a migration plan; INVALID naming the field. */
    MigrationPlan parseMigration(String document);

    /**
     * Imports a department's private network for migration: checks its sites (attachments, prefixes valid and not
     * overlapping each other) and stores the plan; nothing changes in the network. CONFLICT if the network was
     * imported already.
     */
    Migration importNetwork(MigrationPlan plan, Caller caller);

    /**
     * Cuts sites of an imported network over into its plane (creating the plane with the first ones, at least two):
     * kept sites bring their prefixes, mapped ones get planned prefixes. Applied like any plane change: admitted,
     * journalled, compensated on failure.
     */
    Migration cutOver(String network, java.util.List<String> sites, Caller caller);

    /** An imported migration and its progress; NOT_FOUND naming {@code network}. */
    Migration migration(String network, Caller caller);
}
