package org.tianshu.api.plane;

import java.util.Set;

/**
 * A bidirectional backbone link. Its capacity is one pool shared by both directions: a path reserves its bandwidth on
 * the link whichever way it crosses it.
 *
 * @param id             unique name, e.g. {@code r3-r7}
 * @param a              one end (router id)
 * @param b              the other end (router id)
 * @param capacityMbps   capacity in Mbit/s, more than 0
 * @param latencyMicros  one-way latency in microseconds, at least 1
 * @param srlgs          shared risk link groups (ducts, trenches, line cards) the link belongs to; may be empty
 * @param up             admin state: false takes the link out of every path computation
 */
public record Link(String id, String a, String b, long capacityMbps, long latencyMicros, Set<String> srlgs, boolean up) {
    /** Copies the SRLG set; null means none. */
    public Link {
        srlgs = srlgs == null ? Set.of() : Set.copyOf(srlgs);
    }

    /** The same link with another admin state. */
    public Link withUp(boolean state) {
        return new Link(id, a, b, capacityMbps, latencyMicros, srlgs, state);
    }
}
