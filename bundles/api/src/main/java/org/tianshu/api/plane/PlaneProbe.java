package org.tianshu.api.plane;

/**
 * SPI: active measurement between sites, offered by dataplanes that can send traffic from an attachment point (the
 * lab's kernel dataplane does; a production controller may use TWAMP). Verifies a plane's SLOs and its isolation.
 */
public interface PlaneProbe {

    /**
     * Sends {@code count} echo probes from the host behind {@code from} to {@code address} (an IPv6 or IPv4 address)
     * and reports what came back. Unreachable addresses give a result with nothing received, not an error.
     */
    ProbeResult probe(Attachment from, String address, int count);

    /**
     * Measures the rate a path delivers: for {@code duration}, the host behind {@code from} sends to {@code address} (an
     * address of the host behind {@code to}) at most {@code offeredMbps}, and the rate that arrived is returned in
     * Mbit/s (0 when nothing arrived). Paced at the rate asked, as a service activation test does (ITU-T Y.1564),
     * rather than flooding the links other planes share. Empty when this probe cannot measure rates (the default).
     */
    default java.util.OptionalDouble rateMbps(Attachment from, Attachment to, String address, double offeredMbps,
            java.time.Duration duration) {
        return java.util.OptionalDouble.empty();
    }
}
