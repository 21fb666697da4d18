package org.tianshu.api.plane;

import java.util.List;

/**
 * An SR policy (RFC 9256) of a business plane: traffic of the plane entering at {@code from}'s provider edge towards
 * {@code to}'s prefixes is encapsulated (H.Encaps) with {@code segments}.
 *
 * @param from     the site the traffic enters from
 * @param to       the site it goes to
 * @param segments the segment list in order: End SIDs of the routers the path is steered through, then the decap SID
 *                 of {@code to}'s provider edge; never empty
 * @param path     the path the segment list realises
 * @param backup   true for the SRLG-disjoint backup of a 1+1 protected pair; traffic uses it when the primary is down
 */
public record SrPolicy(String from, String to, List<String> segments, Path path, boolean backup) {
    /** Copies the segment list. */
    public SrPolicy {
        segments = List.copyOf(segments);
    }
}
