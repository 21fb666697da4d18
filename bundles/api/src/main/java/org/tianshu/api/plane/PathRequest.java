package org.tianshu.api.plane;

/**
 * A request for a path between two routers, e.g. one site pair of a business plane.
 *
 * @param id               the caller's name for the reservation, unique among live reservations, e.g.
 *                         {@code egov-office/hz-a1->nb-a4}
 * @param from             router id of the head end
 * @param to               router id of the tail end
 * @param bandwidthMbps    bandwidth to reserve on every link of the path (and of the backup), 0 or more
 * @param maxLatencyMicros latency bound of each path in microseconds, more than 0; {@link #NO_LATENCY_BOUND} for none
 * @param protection       whether a SRLG-disjoint backup is needed
 */
public record PathRequest(String id, String from, String to, long bandwidthMbps, long maxLatencyMicros, Protection protection) {
    /** The {@code maxLatencyMicros} that means "no bound". */
    public static final long NO_LATENCY_BOUND = Long.MAX_VALUE;

    /** Null protection means {@link Protection#NONE}. */
    public PathRequest {
        protection = protection == null ? Protection.NONE : protection;
    }
}
