package org.tianshu.slicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.alg.shortestpath.SuurballeKDisjointShortestPaths;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.DirectedWeightedMultigraph;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.Path;
import org.tianshu.api.plane.PathAnswer;
import org.tianshu.api.plane.PathRequest;
import org.tianshu.api.plane.Protection;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.RouterRole;
import org.tianshu.api.plane.Topology;

/** The engine against JGraphT's Dijkstra and Suurballe on random graphs, and its invariants under random load. */
class PathEnginePropertiesTest {

    /**
     * A random graph of {@code n} routers, links with latency 1..1000 µs, and SRLGs when {@code srlgs > 0}; without
     * parallel links when {@code simple} (JGraphT's Suurballe needs a simple graph).
     */
    private static Topology random(long seed, int n, int links, int srlgs, boolean simple) {
        Random rnd = new Random(seed);
        List<Router> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rs.add(new Router("r" + i, RouterRole.ACCESS, "c", "fd00:" + i + "::/48"));
        }
        List<Link> ls = new ArrayList<>();
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i < links; i++) {
            int a = rnd.nextInt(n);
            int b = rnd.nextInt(n - 1);
            if (b >= a) {
                b++;
            }
            if (simple && !pairs.add(Math.min(a, b) + "-" + Math.max(a, b))) {
                continue;
            }
            Set<String> groups = new HashSet<>();
            if (srlgs > 0 && rnd.nextInt(3) == 0) {
                groups.add("g" + rnd.nextInt(srlgs));
            }
            ls.add(new Link("l" + i, "r" + a, "r" + b, 100 + rnd.nextInt(900), 1 + rnd.nextInt(1000), groups, true));
        }
        return new Topology(rs, ls);
    }

    /** Both directions of every link as arcs, so Suurballe's arc-disjoint pair is a link-disjoint pair. */
    private static DirectedWeightedMultigraph<String, DefaultWeightedEdge> jgrapht(Topology t) {
        DirectedWeightedMultigraph<String, DefaultWeightedEdge> g = new DirectedWeightedMultigraph<>(DefaultWeightedEdge.class);
        t.routers().forEach(r -> g.addVertex(r.id()));
        for (Link l : t.links()) {
            g.setEdgeWeight(g.addEdge(l.a(), l.b()), l.latencyMicros());
            g.setEdgeWeight(g.addEdge(l.b(), l.a()), l.latencyMicros());
        }
        return g;
    }

    @Property(tries = 500)
    void shortestLatencyEqualsJGraphTDijkstra(@ForAll long seed, @ForAll @IntRange(min = 2, max = 40) int n,
            @ForAll @IntRange(min = 0, max = 120) int links) {
        Topology t = random(seed, n, links, 0, false);
        PathEngine e = new PathEngine();
        e.load(t);
        DijkstraShortestPath<String, DefaultWeightedEdge> dijkstra = new DijkstraShortestPath<>(jgrapht(t));
        Random rnd = new Random(seed ^ 7);
        for (int q = 0; q < 5; q++) {
            String s = "r" + rnd.nextInt(n);
            String d = "r" + ((Integer.parseInt(s.substring(1)) + 1 + rnd.nextInt(n - 1)) % n);
            GraphPath<String, DefaultWeightedEdge> theirs = dijkstra.getPath(s, d);
            try {
                PathAnswer ours = e.compute(new PathRequest("q", s, d, 0, PathRequest.NO_LATENCY_BOUND, Protection.NONE));
                assertThat(theirs).isNotNull();
                assertThat((double) ours.primary().latencyMicros()).isEqualTo(theirs.getWeight());
                assertValidPath(t, ours.primary(), s, d);
            } catch (TianshuException x) {
                assertThat(x.field()).isEqualTo("to");
                assertThat(theirs).isNull();
            }
        }
    }

    @Property(tries = 500)
    void disjointPairNoWorseThanJGraphTSuurballe(@ForAll long seed, @ForAll @IntRange(min = 2, max = 30) int n,
            @ForAll @IntRange(min = 0, max = 100) int links) {
        Topology t = random(seed, n, links, 0, true);
        PathEngine e = new PathEngine();
        e.load(t);
        SuurballeKDisjointShortestPaths<String, DefaultWeightedEdge> suurballe = new SuurballeKDisjointShortestPaths<>(jgrapht(t));
        Random rnd = new Random(seed ^ 11);
        for (int q = 0; q < 3; q++) {
            String s = "r" + rnd.nextInt(n);
            String d = "r" + ((Integer.parseInt(s.substring(1)) + 1 + rnd.nextInt(n - 1)) % n);
            List<GraphPath<String, DefaultWeightedEdge>> theirs = suurballe.getPaths(s, d, 2);
            try {
                PathAnswer ours = e.compute(new PathRequest("q", s, d, 0, PathRequest.NO_LATENCY_BOUND, Protection.ONE_PLUS_ONE_SRLG_DISJOINT));
                assertThat(theirs).hasSize(2);
                long total = ours.primary().latencyMicros() + ours.backup().latencyMicros();
                // not worse; with every link its own only risk group, Bhandari is exact, so equal
                assertThat((double) total).isEqualTo(theirs.get(0).getWeight() + theirs.get(1).getWeight());
                assertValidPath(t, ours.primary(), s, d);
                assertValidPath(t, ours.backup(), s, d);
                PathEngineTest.assertSrlgDisjoint(t, ours.primary(), ours.backup());
            } catch (TianshuException x) {
                assertThat(x.field()).isIn("to", "protection");
                assertThat(theirs.size()).isLessThan(2);
            }
        }
    }

    @Property(tries = 200)
    void randomLoadKeepsPairsDisjointAndNeverOverbooks(@ForAll long seed, @ForAll @IntRange(min = 3, max = 30) int n,
            @ForAll @IntRange(min = 2, max = 90) int links) {
        Topology t = random(seed, n, links, 6, false);
        PathEngine e = new PathEngine();
        e.load(t);
        Random rnd = new Random(seed ^ 13);
        for (int q = 0; q < 30; q++) {
            String s = "r" + rnd.nextInt(n);
            String d = "r" + ((Integer.parseInt(s.substring(1)) + 1 + rnd.nextInt(n - 1)) % n);
            Protection p = rnd.nextBoolean() ? Protection.NONE : Protection.ONE_PLUS_ONE_SRLG_DISJOINT;
            long max = 500 + rnd.nextInt(3000);
            try {
                PathAnswer a = e.reserve(new PathRequest("q" + q, s, d, 10 + rnd.nextInt(200), max, p));
                assertValidPath(t, a.primary(), s, d);
                assertThat(a.primary().latencyMicros()).isLessThanOrEqualTo(max);
                if (p != Protection.NONE) {
                    assertValidPath(t, a.backup(), s, d);
                    assertThat(a.backup().latencyMicros()).isLessThanOrEqualTo(max);
                    PathEngineTest.assertSrlgDisjoint(t, a.primary(), a.backup());
                }
            } catch (TianshuException x) {
                assertThat(x.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
                assertThat(x.field()).isIn("to", "bandwidthMbps", "maxLatencyMicros", "protection");
            }
            if (q % 7 == 6 && links > 0) {
                e.linkDown("l" + rnd.nextInt(links));
            }
        }
        for (Link l : e.topology().links()) {
            long booked = e.reservations().stream()
                    .filter(a -> a.primary().links().contains(l.id()) || (a.backup() != null && a.backup().links().contains(l.id())))
                    .mapToLong(a -> a.request().bandwidthMbps()).sum();
            assertThat(e.reservedMbps(l.id())).isEqualTo(booked).isLessThanOrEqualTo(l.capacityMbps());
            if (!l.up()) {
                assertThat(booked).isZero();
            }
        }
    }

    private static void assertValidPath(Topology t, Path p, String from, String to) {
        assertThat(p.routers()).first().isEqualTo(from);
        assertThat(p.routers()).last().isEqualTo(to);
        assertThat(p.links()).hasSize(p.routers().size() - 1).doesNotHaveDuplicates();
        long latency = 0;
        for (int i = 0; i < p.links().size(); i++) {
            String id = p.links().get(i);
            Link l = t.links().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
            assertThat(Set.of(l.a(), l.b())).containsExactlyInAnyOrder(p.routers().get(i), p.routers().get(i + 1));
            latency += l.latencyMicros();
        }
        assertThat(p.latencyMicros()).isEqualTo(latency);
    }
}
