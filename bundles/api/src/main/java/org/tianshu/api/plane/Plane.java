package org.tianshu.api.plane;

import java.time.Instant;
import java.util.List;

/**
 * A business plane as Tianshu holds it: its intent and what was planned and realised for it.
 *
 * @param intent      the intent currently realised (or being applied)
 * @param table       its number: the routing table on every provider edge and the last part of its decap SIDs
 * @param state       where it stands
 * @param ipv6Block   the plane's IPv6 block out of the pool, its planned site prefixes inside it
 * @param ipv4Block   the plane's IPv4 block for dual stack; null for IPv6-only planes
 * @param realisation what the network carries for it: sites with prefixes and decap SIDs, SR policies
 * @param paths       its path reservations, one per pair of sites that talk to each other on different routers
 * @param message     why it is {@link PlaneState#DEGRADED}, or the last failure; null when none
 * @param updatedAt   when it last changed
 */
public record Plane(PlaneIntent intent, int table, PlaneState state, String ipv6Block, String ipv4Block,
        PlaneRealisation realisation, List<PathAnswer> paths, String message, Instant updatedAt) {
    /** Copies the path list. */
    public Plane {
        paths = List.copyOf(paths);
    }

    /** The plane's name. */
    public String name() {
        return intent.name();
    }
}
