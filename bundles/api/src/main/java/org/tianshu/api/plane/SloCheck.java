package org.tianshu.api.plane;

import java.time.Instant;

/**
 * One measurement of a plane's verification: probes from a site towards a site of the same plane (its SLO) or, for an
 * isolation check, towards a site of another plane (nothing may come back).
 *
 * @param from         the probing site
 * @param to           the site probed; {@code <plane>/<site>} for an isolation check
 * @param family       6 or 4
 * @param isolation    true when {@code to} belongs to another plane and must not answer
 * @param sent         probes sent
 * @param received     replies received
 * @param latencyMicros one-way latency estimated as half the median round trip; -1 when nothing came back
 * @param compliant    whether this check meets the plane's SLO (or isolation)
 * @param violation    what is violated ({@code reachability}, {@code latency}, {@code loss}, {@code bandwidth},
 *                     {@code isolation}) and by how much, or null when compliant
 * @param at           when it was measured
 * @param bandwidthMbps the rate the path delivered to a rate probe ({@link PlaneProbe#rateMbps}); -1 when not measured
 */
public record SloCheck(String from, String to, int family, boolean isolation, int sent, int received, long latencyMicros,
        boolean compliant, String violation, Instant at, double bandwidthMbps) {
    /** A check without a rate measurement. */
    public SloCheck(String from, String to, int family, boolean isolation, int sent, int received, long latencyMicros,
            boolean compliant, String violation, Instant at) {
        this(from, to, family, isolation, sent, received, latencyMicros, compliant, violation, at, -1);
    }

    /** The share of probes lost, 0 to 1. */
    public double loss() {
        return sent == 0 ? 0 : (sent - received) / (double) sent;
    }
}
