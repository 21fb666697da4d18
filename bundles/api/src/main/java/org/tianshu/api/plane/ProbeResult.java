package org.tianshu.api.plane;

/**
 * The outcome of probing from a site towards an address.
 *
 * @param sent        probes sent
 * @param received    replies received
 * @param rttMicrosP50 median round-trip time of the replies in microseconds; -1 when none came back
 * @param rttMicrosMax longest round-trip time in microseconds; -1 when none came back
 */
public record ProbeResult(int sent, int received, long rttMicrosP50, long rttMicrosMax) {
    /** The share of probes lost, 0 to 1. */
    public double loss() {
        return sent == 0 ? 0 : (sent - received) / (double) sent;
    }
}
