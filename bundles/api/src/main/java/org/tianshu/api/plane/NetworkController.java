package org.tianshu.api.plane;

import java.util.List;

/**
 * SPI: an SDN controller or dataplane that realises business planes on the backbone. Adapters (OpenDaylight over
 * RESTCONF, the lab's kernel SRv6 dataplane) register it as an OSGi service with the property
 * {@code tianshu.controller} naming it. Failures are {@link org.tianshu.api.TianshuException}s (UPSTREAM, HTTP 502, when the
 * controller cannot be reached).
 */
public interface NetworkController {

    /** The controller's name, the value of its {@code tianshu.controller} service property. */
    String name();

    /** The backbone as the controller sees it: routers (with their SRv6 locators) and links. */
    Topology topology();

    /** The attachment points where sites can join planes. */
    List<Attachment> attachments();

    /**
     * Configures a plane on the routers, replacing whatever the plane had: after it returns, the network carries
     * exactly this realisation. Idempotent: applying the same realisation twice changes nothing.
     */
    void apply(PlaneRealisation plane);

    /**
     * Configures several planes as {@link #apply} does for each (e.g. all planes re-routed around a failed link). A
     * controller that can write them in one round trip overrides it; this default applies them one after the other.
     * When it throws, some of the planes may have been applied: apply them one by one to learn which failed.
     */
    default void applyAll(List<PlaneRealisation> planes) {
        planes.forEach(this::apply);
    }

    /** Removes every trace of a plane from the routers; does nothing for an unknown plane. */
    void remove(String plane);

    /** The planes as read back from the routers, for verification and drift. */
    List<PlaneRealisation> realised();
}
