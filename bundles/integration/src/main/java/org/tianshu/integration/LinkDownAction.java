package org.tianshu.integration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.plane.PathAnswer;
import org.tianshu.api.plane.PathComputationService;
import org.tianshu.api.plane.PlaneAdminService;
import org.tianshu.api.plane.Reroute;

/**
 * What a link going down (or up again) does to the business planes. With the plane manager running, it syncs the
 * topology from the controller: the planes whose paths crossed the link are recomputed and pushed (and re-protected
 * when it comes back), and the manager publishes what moved. Without it, the path computation alone re-routes every
 * reservation that crossed the link, and each outcome becomes an event ({@link EventType#PLANE_REROUTED} or
 * {@link EventType#PLANE_REROUTE_REFUSED}, subject {@code reservation/<id>}).
 */
public final class LinkDownAction {
    private final Supplier<PathComputationService> paths;
    private final Supplier<PlaneAdminService> planes;

    /** {@code paths} gives the current path computation, null while there is none; no plane manager. */
    public LinkDownAction(Supplier<PathComputationService> paths) {
        this(paths, () -> null);
    }

    /** {@code paths} and {@code planes} give the current services, null while there is none. */
    public LinkDownAction(Supplier<PathComputationService> paths, Supplier<PlaneAdminService> planes) {
        this.paths = paths;
        this.planes = planes;
    }

    /** The link a LINK_DOWN event names: attribute {@code link}, else the subject without its {@code link/} prefix. */
    static String linkOf(Event e) {
        String link = e.attributes().get("link");
        if (link == null || link.isBlank()) {
            link = e.subject().startsWith("link/") ? e.subject().substring("link/".length()) : e.subject();
        }
        if (link.isBlank()) {
            throw TianshuException.invalid("link", "the LINK_DOWN event names no link: " + e.subject());
        }
        return link;
    }

    /**
     * Acts on a LINK_DOWN or LINK_UP event; returns the events to publish: none when the plane manager synced (it
     * publishes its own), else one per reservation the link's failure affected, in admission order.
     */
    public List<Event> apply(Event linkDown) {
        PlaneAdminService manager = planes.get();
        if (manager != null) {
            manager.syncTopology(Caller.SYSTEM);
            return List.of();
        }
        PathComputationService service = paths.get();
        if (service == null) {
            throw new IllegalStateException("link " + linkOf(linkDown)
                    + " is down but no PathComputationService is running: business planes were not re-routed");
        }
        String link = linkOf(linkDown);
        if (linkDown.type() == EventType.LINK_UP) {
            service.linkUp(link);
            return List.of();
        }
        List<Event> out = new ArrayList<>();
        for (Reroute r : service.linkDown(link)) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("link", link);
            attributes.put("before", describe(r.before()));
            if (r.rerouted()) {
                attributes.put("after", describe(r.after()));
            } else {
                attributes.put("refusal", r.refusal());
            }
            out.add(new Event(r.rerouted() ? EventType.PLANE_REROUTED : EventType.PLANE_REROUTE_REFUSED,
                    "reservation/" + r.id(), linkDown.departmentId(), linkDown.cloudId(), attributes,
                    Instant.now()));
        }
        return out;
    }

    /** The primary's (and backup's) links, e.g. {@code l1,l2|l7,l8}. */
    private static String describe(PathAnswer a) {
        if (a == null || a.primary() == null) {
            return "-";
        }
        String s = String.join(",", a.primary().links());
        return a.backup() == null ? s : s + "|" + String.join(",", a.backup().links());
    }
}
