package org.tianshu.slicing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.Path;
import org.tianshu.api.plane.PathAnswer;
import org.tianshu.api.plane.PathComputationService;
import org.tianshu.api.plane.PathRequest;
import org.tianshu.api.plane.Protection;
import org.tianshu.api.plane.Reroute;
import org.tianshu.api.plane.Topology;

/**
 * The in-memory path engine: constrained shortest paths, SRLG-disjoint 1+1 pairs and bandwidth admission across all
 * business planes.
 *
 * <p>Primary path: bidirectional Dijkstra on latency over the links that are up and have the requested bandwidth free; it is the
 * shortest such path, refused if above the latency bound.
 *
 * <p>1+1 pair (method): Bhandari/Suurballe first. A full Dijkstra gives the shortest path and the potentials; a
 * second Dijkstra on reduced costs over the residual graph (the first path's links only backwards, at minus their
 * latency) and the split of the union give the two link-disjoint paths of least total latency. If they share no SRLG
 * and both meet the bound, that pair is optimal and taken. Otherwise three primaries are tried (the shortest path and
 * each path of the Bhandari pair): every link sharing a link or an SRLG with the primary is removed and the shortest
 * remaining path is its backup; the valid pair of least total latency wins. When every link is its own only risk
 * group the first step is exact; with shared SRLGs the problem is NP-hard in general and the fallback can miss a pair
 * in "trap" topologies, in which case the request is refused with the reason.
 *
 * <p>Thread-safe: dry runs share a read lock, reservations, releases and link state changes take the write lock, so a
 * reservation is computed and booked on all its links atomically. On link down the affected reservations are
 * computed in parallel against the state after their release and booked in admission order; an answer made stale by
 * an earlier one is computed again, and a 1+1 reservation that kept one path keeps it and gets a new partner.
 */
public class PathEngine implements PathComputationService {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private Graph graph = Graph.of(Topology.empty());
    private boolean[] up = new boolean[0];
    private long[] free = new long[0];
    private final Map<String, Booking> bookings = new LinkedHashMap<>();
    private final ThreadLocal<Search> searches = new ThreadLocal<>();

    private record Booking(PathAnswer answer, Result result, int[] links, long bandwidth) {
    }

    /** A computed answer in engine numbering. */
    private record Result(Route primary, Route backup) {
    }

    @Override
    public void load(Topology topology) {
        Graph g = Graph.of(topology);
        lock.writeLock().lock();
        try {
            if (!bookings.isEmpty()) {
                throw TianshuException.conflict("topology", bookings.size() + " reservations exist; release them before replacing the topology");
            }
            boolean[] u = new boolean[g.links];
            long[] f = new long[g.links];
            for (int l = 0; l < g.links; l++) {
                u[l] = topology.links().get(l).up();
                f[l] = g.capacity[l];
            }
            graph = g;
            up = u;
            free = f;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Topology topology() {
        lock.readLock().lock();
        try {
            List<Link> links = new ArrayList<>(graph.links);
            for (int l = 0; l < graph.links; l++) {
                links.add(graph.topology.links().get(l).withUp(up[l]));
            }
            return new Topology(graph.topology.routers(), links);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public PathAnswer compute(PathRequest request) {
        lock.readLock().lock();
        try {
            return answer(request, solve(request));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public PathAnswer reserve(PathRequest request) {
        lock.writeLock().lock();
        try {
            if (request != null && bookings.containsKey(request.id())) {
                throw TianshuException.conflict("id", "reservation '" + request.id() + "' exists");
            }
            return book(request, solve(request));
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public PathAnswer reserve(PathAnswer pinned) {
        PathRequest request = pinned == null ? null : pinned.request();
        lock.writeLock().lock();
        try {
            if (request != null && bookings.containsKey(request.id())) {
                throw TianshuException.conflict("id", "reservation '" + request.id() + "' exists");
            }
            Route primary = route(pinned.primary(), request);
            Route backup = pinned.backup() == null ? null : route(pinned.backup(), request);
            boolean keep = primary != null && (pinned.backup() == null) == (request.protection() == Protection.NONE)
                    && (pinned.backup() == null || backup != null && search().srlgDisjoint(primary, backup))
                    && fits(new Result(primary, backup), request.bandwidthMbps());
            return book(request, keep ? new Result(primary, backup) : solve(request));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** {@code p} in engine numbering if it is a path of the current graph from the request's head to its tail within its bound; else null. */
    private Route route(Path p, PathRequest r) {
        if (p == null || r == null || p.routers().size() != p.links().size() + 1 || p.routers().isEmpty()
                || !p.routers().get(0).equals(r.from()) || !p.routers().get(p.routers().size() - 1).equals(r.to())) {
            return null;
        }
        int[] nodes = new int[p.routers().size()];
        int[] links = new int[p.links().size()];
        long latency = 0;
        for (int i = 0; i < nodes.length; i++) {
            Integer v = graph.routerIndex.get(p.routers().get(i));
            if (v == null) {
                return null;
            }
            nodes[i] = v;
        }
        for (int i = 0; i < links.length; i++) {
            Integer l = graph.linkIndex.get(p.links().get(i));
            if (l == null || !(graph.linkA[l] == nodes[i] && graph.linkB[l] == nodes[i + 1]
                    || graph.linkB[l] == nodes[i] && graph.linkA[l] == nodes[i + 1])) {
                return null;
            }
            links[i] = l;
            latency += graph.latency[l];
        }
        return latency <= r.maxLatencyMicros() ? new Route(nodes, links, latency) : null;
    }

    @Override
    public List<PathAnswer> replace(List<String> release, List<PathRequest> requests, boolean dryRun) {
        lock.writeLock().lock();
        try {
            for (String id : release) {
                if (!bookings.containsKey(id)) {
                    throw TianshuException.notFound("release", "reservation", id);
                }
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (PathRequest r : requests) {
                if (r != null && !ids.add(r.id())) {
                    throw TianshuException.invalid("id", "reservation '" + r.id() + "' is requested twice");
                }
                if (r != null && bookings.containsKey(r.id()) && !release.contains(r.id())) {
                    throw TianshuException.conflict("id", "reservation '" + r.id() + "' exists");
                }
            }
            Map<String, Booking> before = new LinkedHashMap<>(bookings);
            long[] freeBefore = free.clone();
            boolean restore = dryRun;
            try {
                for (String id : release) {
                    unbook(bookings.remove(id));
                }
                List<PathAnswer> out = new ArrayList<>(requests.size());
                for (PathRequest r : requests) {
                    try {
                        out.add(book(r, solve(r)));
                    } catch (TianshuException e) {
                        restore = true;
                        throw new TianshuException(e.kind(), e.field(), (r == null ? "request" : r.id()) + ": " + e.getMessage(), e);
                    }
                }
                if (!dryRun) {
                    // a replaced reservation keeps its place in admission order; new ones come last
                    Map<String, Booking> ordered = new LinkedHashMap<>();
                    for (String id : before.keySet()) {
                        Booking b = bookings.remove(id);
                        if (b != null) {
                            ordered.put(id, b);
                        }
                    }
                    ordered.putAll(bookings);
                    bookings.clear();
                    bookings.putAll(ordered);
                }
                return out;
            } finally {
                if (restore) {
                    bookings.clear();
                    bookings.putAll(before);
                    System.arraycopy(freeBefore, 0, free, 0, free.length);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void release(String id) {
        lock.writeLock().lock();
        try {
            Booking b = bookings.remove(id);
            if (b == null) {
                throw TianshuException.notFound("id", "reservation", id);
            }
            unbook(b);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Optional<PathAnswer> reservation(String id) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(bookings.get(id)).map(Booking::answer);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<PathAnswer> reservations() {
        lock.readLock().lock();
        try {
            return bookings.values().stream().map(Booking::answer).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long reservedMbps(String linkId) {
        lock.readLock().lock();
        try {
            int l = link(linkId);
            return graph.capacity[l] - free[l];
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Reroute> linkDown(String linkId) {
        lock.writeLock().lock();
        try {
            int l = link(linkId);
            up[l] = false;
            List<Booking> affected = new ArrayList<>();
            for (Booking b : bookings.values()) {
                if (contains(b.links(), l)) {
                    affected.add(b);
                }
            }
            for (Booking b : affected) {
                unbook(b);
            }
            // computed in parallel against the state after the release, then booked in admission order; an answer
            // that an earlier one made stale (bandwidth taken) is computed again
            List<Object> computed = affected.parallelStream().map(b -> attempt(b, l)).toList();
            List<Reroute> out = new ArrayList<>(affected.size());
            for (int i = 0; i < affected.size(); i++) {
                Booking b = affected.get(i);
                PathRequest r = b.answer().request();
                Object o = computed.get(i);
                if (o instanceof Result res && !fits(res, b.bandwidth())) {
                    o = attempt(b, l);
                }
                if (o instanceof Result res) {
                    out.add(new Reroute(r.id(), b.answer(), book(r, res), null));
                } else {
                    bookings.remove(r.id());
                    out.add(new Reroute(r.id(), b.answer(), null, ((TianshuException) o).getMessage()));
                }
            }
            return out;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** New paths for a reservation hit by the failure of link {@code failed}: a {@link Result} or the refusal. */
    private Object attempt(Booking b, int failed) {
        try {
            Result repaired = repair(b, failed);
            return repaired != null ? repaired : solve(b.answer().request());
        } catch (TianshuException e) {
            return e;
        }
    }

    private boolean fits(Result res, long bw) {
        for (Route r : res.backup() == null ? List.of(res.primary()) : List.of(res.primary(), res.backup())) {
            for (int l : r.links()) {
                if (!up[l] || free[l] < bw) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * For a 1+1 reservation that lost one path: the surviving path, if it still has the bandwidth, and a new path that
     * shares no link and no SRLG with it, so traffic on the survivor does not move. Null when that is not possible.
     */
    private Result repair(Booking b, int failed) {
        Result old = b.result();
        if (old.backup() == null) {
            return null;
        }
        boolean primaryHit = contains(old.primary().links(), failed);
        boolean backupHit = contains(old.backup().links(), failed);
        if (primaryHit == backupHit) {
            return null;
        }
        Route survivor = primaryHit ? old.backup() : old.primary();
        long bw = b.bandwidth();
        for (int l : survivor.links()) {
            if (!up[l] || free[l] < bw) {
                return null;
            }
        }
        PathRequest r = b.answer().request();
        Search ws = search();
        ws.exclude(survivor);
        int t = survivor.nodes()[survivor.nodes().length - 1];
        if (!ws.runBidirectional(up, free, survivor.nodes()[0], t, bw, r.maxLatencyMicros(), true)) {
            return null;
        }
        Route fresh = ws.route(t);
        return survivor.latency() <= fresh.latency() ? new Result(survivor, fresh) : new Result(fresh, survivor);
    }

    private static boolean contains(int[] links, int l) {
        for (int x : links) {
            if (x == l) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void linkUp(String linkId) {
        lock.writeLock().lock();
        try {
            up[link(linkId)] = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private int link(String linkId) {
        Integer l = linkId == null ? null : graph.linkIndex.get(linkId);
        if (l == null) {
            throw TianshuException.notFound("linkId", "link", linkId);
        }
        return l;
    }

    private PathAnswer book(PathRequest request, Result result) {
        int[] links = result.backup() == null ? result.primary().links() : concat(result.primary().links(), result.backup().links());
        long bw = request.bandwidthMbps();
        for (int l : links) {
            free[l] -= bw;
        }
        PathAnswer answer = answer(request, result);
        bookings.put(request.id(), new Booking(answer, result, links, bw));
        return answer;
    }

    private void unbook(Booking b) {
        for (int l : b.links()) {
            free[l] += b.bandwidth();
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private PathAnswer answer(PathRequest request, Result r) {
        return new PathAnswer(request, path(r.primary()), r.backup() == null ? null : path(r.backup()));
    }

    private Path path(Route r) {
        List<String> routers = new ArrayList<>(r.nodes().length);
        for (int v : r.nodes()) {
            routers.add(graph.routerIds[v]);
        }
        List<String> links = new ArrayList<>(r.links().length);
        for (int l : r.links()) {
            links.add(graph.linkIds[l]);
        }
        return new Path(routers, links, r.latency());
    }

    private Search search() {
        Search s = searches.get();
        if (s == null || s.graph() != graph) {
            s = new Search(graph);
            searches.set(s);
        }
        return s;
    }

    private Result solve(PathRequest r) {
        if (r == null) {
            throw TianshuException.invalid("request", "a path request is required");
        }
        if (r.id() == null || r.id().isBlank()) {
            throw TianshuException.invalid("id", "a path request needs an id");
        }
        int s = router("from", r.from());
        int t = router("to", r.to());
        if (s == t) {
            throw TianshuException.invalid("to", "from and to are the same router '" + r.from() + "'");
        }
        if (r.bandwidthMbps() < 0) {
            throw TianshuException.invalid("bandwidthMbps", "bandwidth must be 0 Mbps or more, got " + r.bandwidthMbps());
        }
        if (r.maxLatencyMicros() < 1) {
            throw TianshuException.invalid("maxLatencyMicros", "the latency bound must be 1 µs or more, got " + r.maxLatencyMicros());
        }
        Search ws = search();
        long bw = r.bandwidthMbps();
        long max = r.maxLatencyMicros();
        if (r.protection() == Protection.NONE) {
            if (ws.runBidirectional(up, free, s, t, bw, max, false)) {
                return new Result(ws.route(t), null);
            }
            throw noPrimary(ws, s, t, bw, max);
        }
        Pairs pairs = pairs(ws, s, t, bw, max);
        if (pairs.best != null) {
            return pairs.best;
        }
        if (pairs.shortest == null) {
            throw noPrimary(ws, s, t, bw, max);
        }
        return solvePairSlowly(r, ws, s, t);
    }

    /** The refusal of a 1+1 request whose primary exists; or its pair, found by a search without the bound. */
    private Result solvePairSlowly(PathRequest r, Search ws, int s, int t) {
        long bw = r.bandwidthMbps();
        long max = r.maxLatencyMicros();
        Pairs loose = pairs(ws, s, t, bw, NO_BOUND);
        if (loose.best != null) {
            if (loose.best.backup().latency() <= max) {
                return loose.best;
            }
            throw TianshuException.conflict("maxLatencyMicros", "maxLatency: best SRLG-disjoint backup path " + ms(loose.best.backup().latency())
                    + " > " + ms(max) + " (primary " + ms(loose.best.primary().latency()) + ")");
        }
        Pairs any = pairs(ws, s, t, 0, NO_BOUND);
        if (any.best != null && bw > 0) {
            int l = bottleneck(any.best.backup(), bw);
            if (l < 0) {
                l = bottleneck(any.best.primary(), bw);
            }
            if (l >= 0) {
                throw TianshuException.conflict("bandwidthMbps", "bandwidth: no SRLG-disjoint pair of paths with " + bw
                        + " Mbps free; the best pair over links that are up needs " + linkState(l));
            }
        }
        throw TianshuException.conflict("protection", "protection: no SRLG-disjoint pair of paths between '" + r.from() + "' and '"
                + r.to() + "' over links that are up" + (bw > 0 ? " with " + bw + " Mbps free" : ""));
    }

    private static final long NO_BOUND = PathRequest.NO_LATENCY_BOUND;

    private static final class Pairs {
        Route shortest;
        Result best;
    }

    private Pairs pairs(Search ws, int s, int t, long bw, long max) {
        Pairs out = new Pairs();
        if (!ws.run(up, free, s, t, bw, max, false, false)) {
            return out;
        }
        Route first = ws.route(t);
        out.shortest = first;
        ws.savePotentials(t);
        ws.setResidual(first);
        Route[] bhandari = null;
        if (ws.run(up, free, s, t, bw, NO_BOUND, false, true)) {
            bhandari = ws.splitPair(first, s, t);
            if (ws.srlgDisjoint(bhandari[0], bhandari[1])) {
                consider(out, bhandari[0], bhandari[1], max);
                if (out.best != null) {
                    return out;
                }
            }
        }
        tryPrimary(ws, out, first, s, t, bw, max);
        if (bhandari != null) {
            for (Route p : bhandari) {
                if (!java.util.Arrays.equals(p.links(), first.links())) {
                    tryPrimary(ws, out, p, s, t, bw, max);
                }
            }
        }
        return out;
    }

    private void tryPrimary(Search ws, Pairs out, Route primary, int s, int t, long bw, long max) {
        if (primary.latency() > max) {
            return;
        }
        ws.exclude(primary);
        if (ws.runBidirectional(up, free, s, t, bw, max, true)) {
            consider(out, primary, ws.route(t), max);
        }
    }

    private static void consider(Pairs out, Route a, Route b, long max) {
        Result pair = a.latency() <= b.latency() ? new Result(a, b) : new Result(b, a);
        long total = a.latency() + b.latency();
        if (pair.backup().latency() <= max
                && (out.best == null || total < out.best.primary().latency() + out.best.backup().latency())) {
            out.best = pair;
        }
    }

    private int router(String field, String id) {
        Integer v = id == null ? null : graph.routerIndex.get(id);
        if (v == null) {
            throw TianshuException.notFound(field, "router", id);
        }
        return v;
    }

    /** The link of {@code r} with the least free bandwidth among those with less than {@code bw} free, or -1. */
    private int bottleneck(Route r, long bw) {
        int worst = -1;
        for (int l : r.links()) {
            if (free[l] < bw && (worst < 0 || free[l] < free[worst])) {
                worst = l;
            }
        }
        return worst;
    }

    private String linkState(int l) {
        return "link " + graph.linkIds[l] + " which has " + Math.max(0, free[l]) + " of " + graph.capacity[l] + " Mbps free";
    }

    /** Why no path with {@code bw} free meets {@code max}: the bound, the bandwidth or the topology. */
    private TianshuException noPrimary(Search ws, int s, int t, long bw, long max) {
        if (ws.runBidirectional(up, free, s, t, bw, NO_BOUND, false)) {
            return overLatency(ws, ws.route(t), s, t, bw, max);
        }
        return noPath(ws, s, t, bw);
    }

    private TianshuException noPath(Search ws, int s, int t, long bw) {
        if (!ws.runBidirectional(up, free, s, t, 0, NO_BOUND, false)) {
            return TianshuException.conflict("to", "no path: routers '" + graph.routerIds[s] + "' and '" + graph.routerIds[t]
                    + "' are not connected over links that are up");
        }
        int l = bottleneck(ws.route(t), bw);
        return TianshuException.conflict("bandwidthMbps", "bandwidth: link " + graph.linkIds[l] + " has " + Math.max(0, free[l]) + " of "
                + graph.capacity[l] + " Mbps free, " + bw + " Mbps requested (the shortest path from '" + graph.routerIds[s]
                + "' to '" + graph.routerIds[t] + "' crosses it, and no path avoids every such link)");
    }

    private TianshuException overLatency(Search ws, Route best, int s, int t, long bw, long max) {
        if (bw > 0 && ws.runBidirectional(up, free, s, t, 0, NO_BOUND, false)) {
            Route shortest = ws.route(t);
            int l = bottleneck(shortest, bw);
            if (shortest.latency() <= max && l >= 0) {
                return TianshuException.conflict("bandwidthMbps", "bandwidth: best path with " + bw + " Mbps free is " + ms(best.latency())
                        + " > " + ms(max) + "; the shortest path (" + ms(shortest.latency()) + ") is blocked at " + linkState(l));
            }
        }
        return TianshuException.conflict("maxLatencyMicros", "maxLatency: best path " + ms(best.latency()) + " > " + ms(max));
    }

    /** Microseconds as milliseconds, e.g. {@code 12.3 ms}. */
    static String ms(long micros) {
        return BigDecimal.valueOf(micros, 3).stripTrailingZeros().toPlainString() + " ms";
    }
}
