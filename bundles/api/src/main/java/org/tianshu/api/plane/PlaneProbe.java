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
}
