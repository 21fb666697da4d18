package org.tianshu.planes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Connectivity;
import org.tianshu.api.plane.Isolation;
import org.tianshu.api.plane.Path;
import org.tianshu.api.plane.PathAnswer;
import org.tianshu.api.plane.PathRequest;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.PlaneSite;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;
import org.tianshu.api.plane.Slo;
import org.tianshu.api.plane.Topology;

/**
 * From intent to network, without state: validation, the path requests of a plane and the realisation of its
 * admitted paths (decap SIDs, segment lists).
 *
 * <p>One reservation per unordered site pair, not per direction: a backbone link's capacity is one pool for both
 * directions ({@link org.tianshu.api.plane.Link}), both directions of a pair ride the same links (reverse path), so a
 * probe's round trip measures twice the one-way latency the SLO bounds and a failure hits both directions at once; it
 * also halves the reservations the engine holds and re-routes. The SLO's bandwidth is per site pair.
 *
 * <p>Segment lists are strict per hop: the End SID of every transit router of the path, then the tail's decap SID.
 * Site pairs attached to the same router need no path (the plane's table routes between them locally).
 */
final class Planner {
    private Planner() {
    }

    /** Checks an intent against the attachments the controller offers; INVALID naming the field. */
    static void validate(PlaneIntent intent, List<Attachment> attachments) {
        Validation.id("name", intent.name());
        if (intent.departments().isEmpty()) {
            throw TianshuException.invalid("departments", "departments: at least one owning department is required");
        }
        for (int i = 0; i < intent.departments().size(); i++) {
            Validation.id("departments[" + i + "]", intent.departments().get(i));
        }
        if (intent.sites().size() < 2) {
            throw TianshuException.invalid("sites", "sites: a plane needs at least two sites, got " + intent.sites().size());
        }
        Set<String> names = new HashSet<>();
        Map<Attachment, String> used = new HashMap<>();
        Set<Attachment> known = new HashSet<>(attachments);
        for (int i = 0; i < intent.sites().size(); i++) {
            PlaneSite s = intent.sites().get(i);
            String field = "sites[" + i + "]";
            if (s == null) {
                throw TianshuException.invalid(field, field + " is empty");
            }
            Validation.id(field + ".name", s.name());
            if (!names.add(s.name())) {
                throw TianshuException.invalid(field + ".name", "site '" + s.name() + "' is declared twice");
            }
            if (s.attachment() == null) {
                throw TianshuException.invalid(field + ".attachment", field + ".attachment is required (router/port)");
            }
            if (!known.contains(s.attachment())) {
                throw TianshuException.invalid(field + ".attachment", "unknown attachment " + s.attachment() + " for site '"
                        + s.name() + "': the controller offers " + attachments.stream().map(Attachment::toString).sorted().toList());
            }
            String other = used.put(s.attachment(), s.name());
            if (other != null) {
                throw TianshuException.invalid(field + ".attachment", "attachment " + s.attachment() + " is taken by site '" + other + "'");
            }
        }
        if (intent.connectivity() == Connectivity.HUB_AND_SPOKE) {
            if (intent.hub() == null || !names.contains(intent.hub())) {
                throw TianshuException.invalid("hub", "hub '" + intent.hub() + "' must be one of the plane's sites " + names);
            }
        } else if (intent.hub() != null) {
            throw TianshuException.invalid("hub", "hub is only for hub-and-spoke planes");
        }
        Slo slo = intent.slo();
        Validation.nonNegative("slo.minBandwidthMbps", slo.minBandwidthMbps());
        if (intent.isolation() == Isolation.HARD && slo.minBandwidthMbps() == 0) {
            throw TianshuException.invalid("slo.minBandwidthMbps", "hard isolation reserves bandwidth: slo.minBandwidthMbps must be"
                    + " greater than zero");
        }
        if (!(slo.maxLatencyMs() >= 0) || Double.isInfinite(slo.maxLatencyMs())) {
            throw TianshuException.invalid("slo.maxLatencyMs", "slo.maxLatencyMs must be zero (no bound) or more, got " + slo.maxLatencyMs());
        }
        if (!(slo.maxLossPercent() >= 0 && slo.maxLossPercent() <= 100)) {
            throw TianshuException.invalid("slo.maxLossPercent", "slo.maxLossPercent must be 0 to 100, got " + slo.maxLossPercent());
        }
    }

    /** The id of the reservation of a site pair, e.g. {@code egov/hz~nb}. */
    static String reservationId(String plane, String a, String b) {
        return plane + "/" + a + "~" + b;
    }

    /** The plane's path requests in a stable order: one per pair of sites that talk to each other on different routers. */
    static List<PathRequest> requests(PlaneIntent intent) {
        List<PlaneSite> sites = intent.sites();
        List<PlaneSite[]> pairs = new ArrayList<>();
        if (intent.connectivity() == Connectivity.HUB_AND_SPOKE) {
            PlaneSite hub = sites.stream().filter(s -> s.name().equals(intent.hub())).findFirst().orElseThrow();
            for (PlaneSite s : sites) {
                if (s != hub) {
                    pairs.add(new PlaneSite[] {hub, s});
                }
            }
        } else {
            for (int i = 0; i < sites.size(); i++) {
                for (int j = i + 1; j < sites.size(); j++) {
                    pairs.add(new PlaneSite[] {sites.get(i), sites.get(j)});
                }
            }
        }
        Slo slo = intent.slo();
        long bw = intent.isolation() == Isolation.HARD ? slo.minBandwidthMbps() : 0;
        long latency = slo.maxLatencyMs() == 0 ? PathRequest.NO_LATENCY_BOUND : Math.max(1, Math.round(slo.maxLatencyMs() * 1000));
        List<PathRequest> out = new ArrayList<>();
        for (PlaneSite[] p : pairs) {
            String from = p[0].attachment().router();
            String to = p[1].attachment().router();
            if (!from.equals(to)) {
                out.add(new PathRequest(reservationId(intent.name(), p[0].name(), p[1].name()), from, to, bw, latency,
                        intent.protection()));
            }
        }
        return out;
    }

    /** What the network must carry: the sites with their prefixes and decap SIDs, an SR policy per direction and path. */
    static PlaneRealisation realise(PlaneIntent intent, int table, List<Prefix> prefixes, List<PathAnswer> answers,
            Topology topology) {
        Map<String, Router> routers = new HashMap<>();
        for (Router r : topology.routers()) {
            routers.put(r.id(), r);
        }
        Map<String, SiteBinding> bindings = new HashMap<>();
        List<SiteBinding> sites = new ArrayList<>();
        for (PlaneSite s : intent.sites()) {
            Router pe = router(routers, s.attachment().router());
            SiteBinding b = new SiteBinding(s.name(), s.attachment(), prefix(prefixes, s.name(), 6), prefix(prefixes, s.name(), 4),
                    Sids.decap(pe, table));
            bindings.put(s.name(), b);
            sites.add(b);
        }
        Map<String, String[]> pairOf = new HashMap<>();
        for (PlaneSite a : intent.sites()) {
            for (PlaneSite b : intent.sites()) {
                pairOf.put(reservationId(intent.name(), a.name(), b.name()), new String[] {a.name(), b.name()});
            }
        }
        List<SrPolicy> policies = new ArrayList<>();
        for (PathAnswer answer : answers) {
            String[] pair = pairOf.get(answer.id());
            for (Path path : answer.backup() == null ? List.of(answer.primary()) : List.of(answer.primary(), answer.backup())) {
                boolean backup = path != answer.primary();
                policies.add(policy(pair[0], pair[1], path, bindings.get(pair[1]), routers, backup));
                policies.add(policy(pair[1], pair[0], reverse(path), bindings.get(pair[0]), routers, backup));
            }
        }
        return new PlaneRealisation(intent.name(), table, sites, policies);
    }

    private static SrPolicy policy(String from, String to, Path path, SiteBinding tail, Map<String, Router> routers, boolean backup) {
        List<String> segments = new ArrayList<>();
        for (int i = 1; i < path.routers().size() - 1; i++) {
            segments.add(Sids.end(router(routers, path.routers().get(i))));
        }
        segments.add(tail.decapSid());
        return new SrPolicy(from, to, segments, path, backup);
    }

    static Path reverse(Path p) {
        return new Path(reversed(p.routers()), reversed(p.links()), p.latencyMicros());
    }

    private static List<String> reversed(List<String> l) {
        List<String> r = new ArrayList<>(l);
        java.util.Collections.reverse(r);
        return r;
    }

    private static Router router(Map<String, Router> routers, String id) {
        Router r = routers.get(id);
        if (r == null) {
            throw TianshuException.notFound("router", "router", id);
        }
        return r;
    }

    private static String prefix(List<Prefix> prefixes, String site, int family) {
        for (Prefix p : prefixes) {
            if (p.family() == family && site.equals(p.site())) {
                return p.prefix();
            }
        }
        return null;
    }
}
