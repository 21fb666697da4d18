package org.tianshu.adapter.opendaylight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Path;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;

/**
 * One router's part of one business plane: a {@code tianshu-plane:planes/plane} entry (see
 * {@code lab/opendaylight/yang/tianshu-plane@2026-11-23.yang}). A plane splits into one part per router that has a
 * site of it or is the head end of one of its policies; the parts of all routers merge back into the plane.
 *
 * @param plane    the plane's name
 * @param table    its routing table
 * @param sites    the sites attached to this router, by position
 * @param policies the policies whose head end is this router, by position
 */
record RouterPart(String plane, int table, List<Site> sites, List<Policy> policies) {
    /** The module-qualified name of the list the parts live in. */
    static final String PLANE = "tianshu-plane:plane";

    RouterPart {
        sites = sites.stream().sorted(Comparator.comparingInt(Site::position)).toList();
        policies = policies.stream().sorted(Comparator.comparingInt(Policy::position)).toList();
    }

    /** A site entry: where in the plane's list it stands and what the router does for it. */
    record Site(int position, String name, String port, String ipv6Prefix, String ipv4Prefix, String decapSid) {
    }

    /** A policy entry, with the destination prefixes the head end steers into the segment list. */
    record Policy(int position, String from, String to, boolean backup, String destinationIpv6,
            String destinationIpv4, List<String> segments, List<String> pathRouters, List<String> pathLinks,
            long pathLatencyMicros) {
        Policy {
            segments = List.copyOf(segments);
            pathRouters = List.copyOf(pathRouters);
            pathLinks = List.copyOf(pathLinks);
        }
    }

    /**
     * Splits a plane into its routers' parts, keyed by router id. INVALID naming the field for a plane that is not
     * consistent in itself (blank names, duplicate sites, policies between unknown sites, empty segment lists).
     */
    static Map<String, RouterPart> split(PlaneRealisation p) {
        if (p.plane() == null || p.plane().isBlank()) {
            throw TianshuException.invalid("plane", "must be set");
        }
        if (p.table() < 1 || p.table() > 250_000) {
            throw TianshuException.invalid("table", "must be 1 to 250000, got " + p.table());
        }
        Map<String, SiteBinding> byName = new HashMap<>();
        Map<String, List<Site>> sites = new TreeMap<>();
        for (int i = 0; i < p.sites().size(); i++) {
            SiteBinding s = p.sites().get(i);
            String f = "sites[" + i + "]";
            require(s.site(), f + ".site");
            if (byName.putIfAbsent(s.site(), s) != null) {
                throw TianshuException.invalid(f + ".site", "site '" + s.site() + "' appears twice");
            }
            if (s.attachment() == null) {
                throw TianshuException.invalid(f + ".attachment", "must be set");
            }
            require(s.ipv6Prefix(), f + ".ipv6Prefix");
            require(s.decapSid(), f + ".decapSid");
            sites.computeIfAbsent(s.attachment().router(), r -> new ArrayList<>())
                    .add(new Site(i, s.site(), s.attachment().port(), s.ipv6Prefix(), s.ipv4Prefix(), s.decapSid()));
        }
        Map<String, List<Policy>> policies = new TreeMap<>();
        for (int i = 0; i < p.policies().size(); i++) {
            SrPolicy sp = p.policies().get(i);
            String f = "policies[" + i + "]";
            SiteBinding from = byName.get(sp.from());
            if (from == null) {
                throw TianshuException.invalid(f + ".from", "'" + sp.from() + "' is not a site of plane " + p.plane());
            }
            SiteBinding to = byName.get(sp.to());
            if (to == null) {
                throw TianshuException.invalid(f + ".to", "'" + sp.to() + "' is not a site of plane " + p.plane());
            }
            if (sp.segments().isEmpty() || sp.segments().stream().anyMatch(s -> s == null || s.isBlank())) {
                throw TianshuException.invalid(f + ".segments", "must be a non-empty list of SIDs");
            }
            Path path = sp.path() == null ? new Path(List.of(), List.of(), 0) : sp.path();
            if (path.latencyMicros() < 0) {
                throw TianshuException.invalid(f + ".path.latencyMicros", "must be 0 or more, got " + path.latencyMicros());
            }
            policies.computeIfAbsent(from.attachment().router(), r -> new ArrayList<>())
                    .add(new Policy(i, sp.from(), sp.to(), sp.backup(), to.ipv6Prefix(), to.ipv4Prefix(), sp.segments(),
                            path.routers(), path.links(), path.latencyMicros()));
        }
        Map<String, RouterPart> parts = new TreeMap<>();
        for (String router : union(sites.keySet(), policies.keySet())) {
            parts.put(router, new RouterPart(p.plane(), p.table(), sites.getOrDefault(router, List.of()),
                    policies.getOrDefault(router, List.of())));
        }
        return parts;
    }

    /** Merges the parts read from the routers (keyed by router id) back into the plane. */
    static PlaneRealisation merge(String plane, int table, Map<String, RouterPart> parts) {
        List<Map.Entry<Integer, SiteBinding>> sites = new ArrayList<>();
        List<Map.Entry<Integer, SrPolicy>> policies = new ArrayList<>();
        parts.forEach((router, part) -> {
            for (Site s : part.sites()) {
                sites.add(Map.entry(s.position(), new SiteBinding(s.name(), new Attachment(router, s.port()),
                        s.ipv6Prefix(), s.ipv4Prefix(), s.decapSid())));
            }
            for (Policy sp : part.policies()) {
                policies.add(Map.entry(sp.position(), new SrPolicy(sp.from(), sp.to(), sp.segments(),
                        new Path(sp.pathRouters(), sp.pathLinks(), sp.pathLatencyMicros()), sp.backup())));
            }
        });
        return new PlaneRealisation(plane, table,
                sites.stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList(),
                policies.stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList());
    }

    /** The RESTCONF body that creates or replaces this part: {@code {"tianshu-plane:plane":[{...}]}}. */
    ObjectNode toJson() {
        ObjectNode e = Restconf.JSON.createObjectNode().put("name", plane).put("table", table);
        if (!sites.isEmpty()) {
            ArrayNode list = e.putArray("site");
            for (Site s : sites) {
                ObjectNode n = list.addObject().put("name", s.name()).put("position", s.position()).put("port", s.port())
                        .put("ipv6-prefix", s.ipv6Prefix()).put("decap-sid", s.decapSid());
                if (s.ipv4Prefix() != null) {
                    n.put("ipv4-prefix", s.ipv4Prefix());
                }
            }
        }
        if (!policies.isEmpty()) {
            ArrayNode list = e.putArray("policy");
            for (Policy sp : policies) {
                ObjectNode n = list.addObject().put("position", sp.position()).put("from", sp.from()).put("to", sp.to())
                        .put("backup", sp.backup()).put("destination-ipv6", sp.destinationIpv6())
                        // uint64: a string in RFC 7951 JSON
                        .put("path-latency-micros", Long.toString(sp.pathLatencyMicros()));
                if (sp.destinationIpv4() != null) {
                    n.put("destination-ipv4", sp.destinationIpv4());
                }
                ArrayNode segments = n.putArray("segment");
                for (int i = 0; i < sp.segments().size(); i++) {
                    segments.addObject().put("index", i).put("sid", sp.segments().get(i));
                }
                if (!sp.pathRouters().isEmpty()) {
                    sp.pathRouters().forEach(n.putArray("path-router")::add);
                }
                if (!sp.pathLinks().isEmpty()) {
                    sp.pathLinks().forEach(n.putArray("path-link")::add);
                }
            }
        }
        ObjectNode body = Restconf.JSON.createObjectNode();
        body.putArray(PLANE).add(e);
        return body;
    }

    /** Reads one {@code plane} list entry as RESTCONF returns it (lists in any order, uint64 as strings). */
    static RouterPart fromJson(JsonNode e) {
        List<Site> sites = new ArrayList<>();
        for (JsonNode s : e.path("site")) {
            sites.add(new Site(s.path("position").asInt(), s.path("name").asText(), s.path("port").asText(),
                    s.path("ipv6-prefix").asText(), text(s, "ipv4-prefix"), s.path("decap-sid").asText()));
        }
        List<Policy> policies = new ArrayList<>();
        for (JsonNode sp : e.path("policy")) {
            Map<Integer, String> segments = new TreeMap<>();
            for (JsonNode seg : sp.path("segment")) {
                segments.put(seg.path("index").asInt(), seg.path("sid").asText());
            }
            policies.add(new Policy(sp.path("position").asInt(), sp.path("from").asText(), sp.path("to").asText(),
                    sp.path("backup").asBoolean(false), sp.path("destination-ipv6").asText(),
                    text(sp, "destination-ipv4"), new ArrayList<>(segments.values()), strings(sp.path("path-router")),
                    strings(sp.path("path-link")), sp.path("path-latency-micros").asLong()));
        }
        return new RouterPart(e.path("name").asText(), e.path("table").asInt(), sites, policies);
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw TianshuException.invalid(field, "must be set");
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
