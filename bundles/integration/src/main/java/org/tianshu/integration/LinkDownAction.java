package org.tianshu.integration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.plane.PathAnswer;
import org.tianshu.api.plane.PathComputationService;
import org.tianshu.api.plane.Reroute;

/**
 * What a link going down does to the business planes: the path computation re-routes every reservation that crossed
 * it, and each outcome becomes an event ({@link EventType#PLANE_REROUTED} or {@link EventType#PLANE_REROUTE_REFUSED},
 * subject {@code reservation/<id>}) for the bundle that pushes paths to the controllers.
 */
public final class LinkDownAction {
    private final Supplier<PathComputationService> paths;

    /** {@code paths} gives the current path computation, null while there is none. */
    public LinkDownAction(Supplier<PathComputationService> paths) {
        this.paths = paths;
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

    /** Takes the event's link down in the path computation; one event per affected reservation, in admission order. */
    public List<Event> apply(Event linkDown) {
        PathComputationService service = paths.get();
        if (service == null) {
            throw new IllegalStateException("link " + linkOf(linkDown)
                    + " is down but no PathComputationService is running: business planes were not re-routed");
        }
        String link = linkOf(linkDown);
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
