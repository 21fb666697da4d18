package org.tianshu.api.plane;

/**
 * The service levels a business plane promises between each pair of its sites that talk to each other.
 *
 * @param minBandwidthMbps guaranteed bandwidth per site pair in Mbit/s, 0 or more; reserved on the backbone under
 *                         {@link Isolation#HARD}
 * @param maxLatencyMs     one-way latency bound of every path in milliseconds; 0 for none
 * @param maxLossPercent   packet loss bound in percent (0 to 100), checked by verification probes; 0 for none
 */
public record Slo(long minBandwidthMbps, double maxLatencyMs, double maxLossPercent) {
    /** No guarantee at all. */
    public static final Slo BEST_EFFORT = new Slo(0, 0, 0);

    /** The same SLO with another bandwidth. */
    public Slo withBandwidth(long mbps) {
        return new Slo(mbps, maxLatencyMs, maxLossPercent);
    }
}
