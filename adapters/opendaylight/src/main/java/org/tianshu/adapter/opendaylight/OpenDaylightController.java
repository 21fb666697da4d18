package org.tianshu.adapter.opendaylight;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.NetworkController;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.RouterRole;
import org.tianshu.api.plane.Topology;

/**
 * Business planes through an OpenDaylight controller: the backbone routers are the connected nodes of its NETCONF
 * topology that carry the {@code tianshu-plane} model; each router's part of a plane is written to
 * {@code node=<router>/yang-ext:mount/tianshu-plane:planes/plane=<plane>} and read back from there.
 *
 * <p>The topology comes from each router's own {@code tianshu-plane:router} container (locator, links, ports): the
 * controller's {@code topology-netconf} only lists NETCONF sessions, with no links, locators, capacities or SRLGs.
 */
public class OpenDaylightController implements NetworkController {
    /** The value of the {@code tianshu.controller} service property. */
    public static final String NAME = "opendaylight";
    private static final Logger LOG = LoggerFactory.getLogger(OpenDaylightController.class);

    private final RestconfSettings settings;
    private final Restconf restconf;

    OpenDaylightController(RestconfSettings settings) {
        this.settings = settings;
        this.restconf = new Restconf(settings);
    }

    /**
     * A controller at a RESTCONF root without authentication, e.g. {@code http://127.0.0.1:8888/restconf}, whose
     * routers are the connected nodes of {@code topology-netconf} (outside OSGi: benchmarks and tests).
     */
    public static OpenDaylightController open(String restconfUrl, Duration requestTimeout) {
        return new OpenDaylightController(new RestconfSettings(restconfUrl, "", "", Duration.ofSeconds(2), requestTimeout,
                "topology-netconf"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Topology topology() {
        Map<String, JsonNode> routers = routers();
        List<Router> out = new ArrayList<>();
        Map<String, Link> links = new TreeMap<>();
        routers.forEach((id, r) -> {
            out.add(new Router(id, role(id, r.path("role").asText()), r.path("city").asText(),
                    r.path("locator").asText()));
            for (JsonNode l : r.path("link")) {
                String neighbour = l.path("neighbour").asText();
                if (!routers.containsKey(neighbour)) {
                    continue; // the far end is not connected to the controller: the link is not usable
                }
                Set<String> srlgs = new TreeSet<>();
                l.path("srlg").forEach(s -> srlgs.add(s.asText()));
                Link seen = new Link(l.path("id").asText(), id, neighbour, l.path("capacity-mbps").asLong(),
                        l.path("latency-micros").asLong(), srlgs, l.path("up").asBoolean(true));
                // both ends report the link: the smaller capacity and the larger latency count, up only if both say so
                links.merge(seen.id(), seen, (a, b) -> new Link(a.id(), a.a(), a.b(),
                        Math.min(a.capacityMbps(), b.capacityMbps()), Math.max(a.latencyMicros(), b.latencyMicros()),
                        union(a.srlgs(), b.srlgs()), a.up() && b.up()));
            }
        });
        return new Topology(out, new ArrayList<>(links.values()));
    }

    @Override
    public List<Attachment> attachments() {
        List<Attachment> out = new ArrayList<>();
        routers().forEach((id, r) -> r.path("port").forEach(p -> out.add(new Attachment(id, p.path("name").asText()))));
        out.sort((a, b) -> a.toString().compareTo(b.toString()));
        return out;
    }

    @Override
    public void apply(PlaneRealisation plane) {
        sync(plane);
    }

    /**
     * Brings every router to its part of the plane and returns how many routers changed: routers already right are
     * not written, routers the plane left are cleared. If a write fails, the routers changed so far get their
     * previous part back before the error is thrown.
     */
    public int sync(PlaneRealisation plane) {
        Map<String, RouterPart> desired = RouterPart.split(plane);
        Map<String, JsonNode> routers = routers();
        for (int i = 0; i < plane.sites().size(); i++) {
            Attachment a = plane.sites().get(i).attachment();
            JsonNode r = routers.get(a.router());
            if (r == null) {
                throw TianshuException.notFound("sites[" + i + "].attachment", "router (connected to OpenDaylight)",
                        a.router());
            }
            boolean port = false;
            for (JsonNode p : r.path("port")) {
                port |= a.port().equals(p.path("name").asText());
            }
            if (!port) {
                throw TianshuException.notFound("sites[" + i + "].attachment", "port", a.toString());
            }
        }
        Map<String, Optional<RouterPart>> current = new LinkedHashMap<>();
        for (String router : routers.keySet()) {
            current.put(router, restconf.get(planePath(router, plane.plane()))
                    .map(b -> RouterPart.fromJson(b.path(RouterPart.PLANE).path(0))));
        }
        Map<String, Optional<RouterPart>> done = new LinkedHashMap<>();
        try {
            for (String router : routers.keySet()) {
                Optional<RouterPart> want = Optional.ofNullable(desired.get(router));
                Optional<RouterPart> have = current.get(router);
                if (!want.equals(have)) {
                    write(router, plane.plane(), want);
                    done.put(router, have);
                }
            }
        } catch (RuntimeException e) {
            done.forEach((router, previous) -> {
                try {
                    write(router, plane.plane(), previous);
                } catch (RuntimeException again) {
                    e.addSuppressed(again);
                }
            });
            throw e;
        }
        LOG.info("plane {} (table {}): {} of {} routers changed", plane.plane(), plane.table(), done.size(),
                routers.size());
        return done.size();
    }

    @Override
    public void remove(String plane) {
        if (plane == null || plane.isBlank()) {
            throw TianshuException.invalid("plane", "must be set");
        }
        int removed = 0;
        for (String router : routers().keySet()) {
            removed += restconf.delete(planePath(router, plane)) ? 1 : 0;
        }
        LOG.info("plane {}: removed from {} routers", plane, removed);
    }

    @Override
    public List<PlaneRealisation> realised() {
        Map<String, Map<String, RouterPart>> byPlane = new TreeMap<>();
        for (String router : routers().keySet()) {
            restconf.get(mount(router) + "/tianshu-plane:planes").ifPresent(planes -> {
                for (JsonNode e : planes.path("tianshu-plane:planes").path("plane")) {
                    RouterPart part = RouterPart.fromJson(e);
                    byPlane.computeIfAbsent(part.plane(), p -> new TreeMap<>()).put(router, part);
                }
            });
        }
        List<PlaneRealisation> out = new ArrayList<>();
        byPlane.forEach((plane, parts) -> {
            Map<Integer, List<String>> tables = new TreeMap<>();
            parts.forEach((router, part) -> tables.computeIfAbsent(part.table(), t -> new ArrayList<>()).add(router));
            if (tables.size() > 1) {
                LOG.warn("plane {} has different tables on its routers (drift): {}", plane, tables);
            }
            out.add(RouterPart.merge(plane, tables.keySet().iterator().next(), parts));
        });
        return out;
    }

    /** Connected routers of the NETCONF topology, by router id, with their {@code tianshu-plane:router} data. */
    private Map<String, JsonNode> routers() {
        JsonNode topology = restconf.get(topologyPath() + "?content=nonconfig").orElseThrow(() -> new TianshuException(
                TianshuException.Kind.UPSTREAM, null, "OpenDaylight controller at " + settings.url()
                        + " has no topology " + settings.topologyId() + " (is its NETCONF southbound running?)"));
        Map<String, JsonNode> routers = new TreeMap<>();
        Map<String, String> notConnected = new HashMap<>();
        for (JsonNode node : topology.path("network-topology:topology").path(0).path("node")) {
            String id = node.path("node-id").asText();
            JsonNode status = node.findValue("connection-status");
            if (status == null || !"connected".equals(status.asText())) {
                notConnected.put(id, status == null ? "unknown" : status.asText());
                continue;
            }
            restconf.get(mount(id) + "/tianshu-plane:router")
                    .ifPresent(r -> routers.put(id, r.path("tianshu-plane:router")));
        }
        if (!notConnected.isEmpty()) {
            LOG.warn("NETCONF nodes not connected to the controller, left out: {}", notConnected);
        }
        return routers;
    }

    private void write(String router, String plane, Optional<RouterPart> part) {
        if (part.isPresent()) {
            restconf.put(planePath(router, plane), part.get().toJson());
        } else {
            restconf.delete(planePath(router, plane));
        }
    }

    private String topologyPath() {
        return "network-topology:network-topology/topology=" + Restconf.key(settings.topologyId());
    }

    private String mount(String router) {
        return topologyPath() + "/node=" + Restconf.key(router) + "/yang-ext:mount";
    }

    private String planePath(String router, String plane) {
        return mount(router) + "/tianshu-plane:planes/plane=" + Restconf.key(plane);
    }

    private static RouterRole role(String router, String yang) {
        try {
            return RouterRole.valueOf(yang.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, null,
                    "router " + router + " reports no valid tianshu-plane:router/role: '" + yang + "'");
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    @Override
    public String toString() {
        return "OpenDaylight RESTCONF " + settings.url() + " (" + settings.topologyId() + ")";
    }
}
