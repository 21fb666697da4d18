package org.tianshu.slicing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.Topology;

/**
 * A validated {@link Topology} in adjacency-array (CSR) form: routers and links are numbered, the arcs leaving router
 * {@code u} are {@code adjStart[u] .. adjStart[u+1]-1} with their far end, link and latency in parallel arrays, and
 * SRLG names are numbered too. Immutable; the mutable link state (admin state, free bandwidth) lives in {@link PathEngine}.
 */
final class Graph {
    final Topology topology;
    final int routers;
    final int links;
    final String[] routerIds;
    final Map<String, Integer> routerIndex;
    final String[] linkIds;
    final Map<String, Integer> linkIndex;
    final int[] linkA;
    final int[] linkB;
    final long[] capacity;
    final long[] latency;
    /** SRLG numbers of each link. */
    final int[][] linkSrlgs;
    /** Links of each SRLG number. */
    final int[][] srlgLinks;
    final int[] adjStart;
    final int[] adjNode;
    final int[] adjLink;
    final long[] adjLatency;

    private Graph(Topology topology) {
        this.topology = topology;
        List<Router> rs = topology.routers();
        List<Link> ls = topology.links();
        routers = rs.size();
        links = ls.size();
        routerIds = new String[routers];
        routerIndex = new HashMap<>(routers * 2);
        for (int i = 0; i < routers; i++) {
            Router r = rs.get(i);
            String field = "routers[" + i + "]";
            if (r == null || r.id() == null || r.id().isBlank()) {
                throw TianshuException.invalid(field + ".id", "a router needs an id");
            }
            if (r.role() == null) {
                throw TianshuException.invalid(field + ".role", "router '" + r.id() + "' needs a role");
            }
            if (routerIndex.putIfAbsent(r.id(), i) != null) {
                throw TianshuException.invalid(field + ".id", "router '" + r.id() + "' appears twice");
            }
            routerIds[i] = r.id();
        }
        linkIds = new String[links];
        linkIndex = new HashMap<>(links * 2);
        linkA = new int[links];
        linkB = new int[links];
        capacity = new long[links];
        latency = new long[links];
        linkSrlgs = new int[links][];
        Map<String, Integer> srlgIndex = new HashMap<>();
        List<List<Integer>> srlgMembers = new ArrayList<>();
        int[] degree = new int[routers];
        for (int i = 0; i < links; i++) {
            Link l = ls.get(i);
            String field = "links[" + i + "]";
            if (l == null || l.id() == null || l.id().isBlank()) {
                throw TianshuException.invalid(field + ".id", "a link needs an id");
            }
            if (linkIndex.putIfAbsent(l.id(), i) != null) {
                throw TianshuException.invalid(field + ".id", "link '" + l.id() + "' appears twice");
            }
            Integer a = l.a() == null ? null : routerIndex.get(l.a());
            Integer b = l.b() == null ? null : routerIndex.get(l.b());
            if (a == null) {
                throw TianshuException.invalid(field + ".a", "link '" + l.id() + "' ends at unknown router '" + l.a() + "'");
            }
            if (b == null) {
                throw TianshuException.invalid(field + ".b", "link '" + l.id() + "' ends at unknown router '" + l.b() + "'");
            }
            if (a.equals(b)) {
                throw TianshuException.invalid(field + ".b", "link '" + l.id() + "' is a loop on router '" + l.a() + "'");
            }
            if (l.capacityMbps() < 1) {
                throw TianshuException.invalid(field + ".capacityMbps", "link '" + l.id() + "' needs a capacity of 1 Mbps or more, got " + l.capacityMbps());
            }
            if (l.latencyMicros() < 1) {
                throw TianshuException.invalid(field + ".latencyMicros", "link '" + l.id() + "' needs a latency of 1 µs or more, got " + l.latencyMicros());
            }
            linkIds[i] = l.id();
            linkA[i] = a;
            linkB[i] = b;
            capacity[i] = l.capacityMbps();
            latency[i] = l.latencyMicros();
            int[] groups = new int[l.srlgs().size()];
            int k = 0;
            for (String g : l.srlgs()) {
                int n = srlgIndex.computeIfAbsent(g, x -> {
                    srlgMembers.add(new ArrayList<>());
                    return srlgMembers.size() - 1;
                });
                srlgMembers.get(n).add(i);
                groups[k++] = n;
            }
            linkSrlgs[i] = groups;
            degree[a]++;
            degree[b]++;
        }
        srlgLinks = new int[srlgMembers.size()][];
        for (int g = 0; g < srlgLinks.length; g++) {
            srlgLinks[g] = srlgMembers.get(g).stream().mapToInt(Integer::intValue).toArray();
        }
        adjStart = new int[routers + 1];
        for (int u = 0; u < routers; u++) {
            adjStart[u + 1] = adjStart[u] + degree[u];
        }
        adjNode = new int[2 * links];
        adjLink = new int[2 * links];
        adjLatency = new long[2 * links];
        int[] fill = adjStart.clone();
        for (int l = 0; l < links; l++) {
            int k = fill[linkA[l]]++;
            adjNode[k] = linkB[l];
            adjLink[k] = l;
            adjLatency[k] = latency[l];
            k = fill[linkB[l]]++;
            adjNode[k] = linkA[l];
            adjLink[k] = l;
            adjLatency[k] = latency[l];
        }
    }

    /** Validates and converts; INVALID naming the field at fault. */
    static Graph of(Topology topology) {
        if (topology == null) {
            throw TianshuException.invalid("topology", "a topology is required");
        }
        return new Graph(topology);
    }

    /** The end of link {@code l} that is not {@code u}. */
    int other(int l, int u) {
        return linkA[l] == u ? linkB[l] : linkA[l];
    }
}
