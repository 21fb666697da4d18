package org.tianshu.slicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.Path;
import org.tianshu.api.plane.PathAnswer;
import org.tianshu.api.plane.PathRequest;
import org.tianshu.api.plane.Protection;
import org.tianshu.api.plane.Reroute;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.RouterRole;
import org.tianshu.api.plane.Topology;

class PathEngineTest {
    private static final long NO_BOUND = PathRequest.NO_LATENCY_BOUND;

    private static PathEngine engine(Topology t) {
        PathEngine e = new PathEngine();
        e.load(t);
        return e;
    }

    private static PathRequest req(String id, String from, String to, long bw, long max, Protection p) {
        return new PathRequest(id, from, to, bw, max, p);
    }

    private static TianshuException conflict(Runnable r) {
        try {
            r.run();
        } catch (TianshuException e) {
            return e;
        }
        throw new AssertionError("expected a TianshuException");
    }

    @Test
    void shortestPathByLatency() {
        PathAnswer a = engine(Topologies.ladder()).compute(req("p", "a", "d", 10, NO_BOUND, Protection.NONE));
        assertThat(a.primary().routers()).containsExactly("a", "b", "d");
        assertThat(a.primary().links()).containsExactly("a-b", "b-d");
        assertThat(a.primary().latencyMicros()).isEqualTo(2000);
        assertThat(a.backup()).isNull();
        PathAnswer c = engine(Topologies.ladder()).compute(req("p", "b", "c", 10, NO_BOUND, Protection.NONE));
        assertThat(c.primary().links()).containsExactly("b-c");
    }

    @Test
    void latencyBoundRefusalNamesTheBound() {
        TianshuException e = conflict(() -> engine(Topologies.ladder()).compute(req("p", "a", "d", 10, 1500, Protection.NONE)));
        assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
        assertThat(e.field()).isEqualTo("maxLatencyMicros");
        assertThat(e.getMessage()).isEqualTo("maxLatency: best path 2 ms > 1.5 ms");
    }

    @Test
    void bandwidthAdmissionNamesTheBottleneck() {
        PathEngine e = engine(new Topologies().link("a", "b", 100, 10_000).link("b", "c", 100, 1000).build());
        e.reserve(req("video", "a", "c", 800, NO_BOUND, Protection.NONE));
        assertThat(e.reservedMbps("b-c")).isEqualTo(800);
        TianshuException x = conflict(() -> e.reserve(req("office", "a", "c", 300, NO_BOUND, Protection.NONE)));
        assertThat(x.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
        assertThat(x.field()).isEqualTo("bandwidthMbps");
        assertThat(x.getMessage()).startsWith("bandwidth: link b-c has 200 of 1000 Mbps free, 300 Mbps requested");
        assertThat(e.reservation("office")).isEmpty();
        assertThat(e.reservedMbps("a-b")).isEqualTo(800);
        e.reserve(req("office", "a", "c", 200, NO_BOUND, Protection.NONE));
        assertThat(e.reservedMbps("b-c")).isEqualTo(1000);
        e.release("video");
        assertThat(e.reservedMbps("b-c")).isEqualTo(200);
        assertThat(e.reservedMbps("a-b")).isEqualTo(200);
    }

    @Test
    void bandwidthDetourOverTheBoundNamesBothConstraints() {
        PathEngine e = engine(Topologies.ladder());
        e.reserve(req("video", "b", "d", 800, NO_BOUND, Protection.NONE));
        PathAnswer detour = e.compute(req("office", "a", "d", 300, NO_BOUND, Protection.NONE));
        assertThat(detour.primary().links()).containsExactly("a-b", "b-c", "c-d");
        TianshuException x = conflict(() -> e.reserve(req("office", "a", "d", 300, 2500, Protection.NONE)));
        assertThat(x.field()).isEqualTo("bandwidthMbps");
        assertThat(x.getMessage()).isEqualTo("bandwidth: best path with 300 Mbps free is 2.7 ms > 2.5 ms; the shortest path (2 ms) is blocked at link b-d which has 200 of 1000 Mbps free");
    }

    @Test
    void unknownRoutersAndLinksAreNotFoundNamingTheField() {
        PathEngine e = engine(Topologies.ladder());
        TianshuException from = conflict(() -> e.compute(req("p", "nowhere", "d", 1, NO_BOUND, Protection.NONE)));
        assertThat(from.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
        assertThat(from.field()).isEqualTo("from");
        assertThat(from.getMessage()).contains("nowhere");
        TianshuException to = conflict(() -> e.reserve(req("p", "a", "zz", 1, NO_BOUND, Protection.NONE)));
        assertThat(to.field()).isEqualTo("to");
        assertThat(to.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
        assertThat(conflict(() -> e.linkDown("q-r")).field()).isEqualTo("linkId");
        assertThat(conflict(() -> e.release("ghost")).kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
        assertThat(conflict(() -> e.compute(req("p", "a", "a", 1, NO_BOUND, Protection.NONE))).kind()).isEqualTo(TianshuException.Kind.INVALID);
        assertThat(conflict(() -> e.compute(req("p", "a", "d", -1, NO_BOUND, Protection.NONE))).field()).isEqualTo("bandwidthMbps");
    }

    @Test
    void duplicateReservationIsAConflict() {
        PathEngine e = engine(Topologies.ladder());
        e.reserve(req("p", "a", "d", 1, NO_BOUND, Protection.NONE));
        TianshuException x = conflict(() -> e.reserve(req("p", "a", "c", 1, NO_BOUND, Protection.NONE)));
        assertThat(x.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
        assertThat(x.field()).isEqualTo("id");
    }

    @Test
    void disjointPairIsReallySrlgDisjoint() {
        PathEngine e = engine(Topologies.ladder());
        PathAnswer a = e.reserve(req("p", "a", "d", 100, NO_BOUND, Protection.ONE_PLUS_ONE_SRLG_DISJOINT));
        assertThat(a.primary().links()).containsExactly("a-b", "b-d");
        assertThat(a.backup().links()).containsExactly("a-x", "x-d");
        assertThat(a.backup().latencyMicros()).isEqualTo(6000);
        assertSrlgDisjoint(e.topology(), a.primary(), a.backup());
        for (String l : List.of("a-b", "b-d", "a-x", "x-d")) {
            assertThat(e.reservedMbps(l)).as(l).isEqualTo(100);
        }
        assertThat(e.reservedMbps("c-d")).isZero();
    }

    @Test
    void disjointPairSolvesSuurballesTrap() {
        PathAnswer a = engine(Topologies.trap()).compute(req("p", "s", "t", 1, NO_BOUND, Protection.ONE_PLUS_ONE_SRLG_DISJOINT));
        assertThat(List.of(a.primary().routers(), a.backup().routers()))
                .containsExactlyInAnyOrder(List.of("s", "a", "t"), List.of("s", "b", "t"));
        assertThat(a.primary().latencyMicros() + a.backup().latencyMicros()).isEqualTo(8000);
    }

    @Test
    void disjointPairRefusals() {
        TianshuException bound = conflict(() -> engine(Topologies.ladder())
                .compute(req("p", "a", "d", 1, 5000, Protection.ONE_PLUS_ONE_SRLG_DISJOINT)));
        assertThat(bound.field()).isEqualTo("maxLatencyMicros");
        assertThat(bound.getMessage()).isEqualTo("maxLatency: best SRLG-disjoint backup path 6 ms > 5 ms (primary 2 ms)");

        Topology sameDuct = new Topologies().link("a", "b", 10, 1000, "duct").link("a", "c", 10, 1000).link("c", "b", 10, 1000, "duct").build();
        TianshuException none = conflict(() -> engine(sameDuct).compute(req("p", "a", "b", 1, NO_BOUND, Protection.ONE_PLUS_ONE_SRLG_DISJOINT)));
        assertThat(none.field()).isEqualTo("protection");
        assertThat(none.getMessage()).startsWith("protection: no SRLG-disjoint pair of paths between 'a' and 'b'");

        PathEngine full = engine(Topologies.ladder());
        full.reserve(req("big", "a", "x", 950, NO_BOUND, Protection.NONE));
        TianshuException bw = conflict(() -> full.compute(req("p", "a", "d", 100, NO_BOUND, Protection.ONE_PLUS_ONE_SRLG_DISJOINT)));
        assertThat(bw.field()).isEqualTo("bandwidthMbps");
        assertThat(bw.getMessage()).contains("link a-x which has 50 of 1000 Mbps free");
    }

    @Test
    void linkDownReroutesTheAffectedReservations() {
        PathEngine e = engine(Topologies.ladder());
        e.reserve(req("office", "a", "d", 100, NO_BOUND, Protection.NONE));
        e.reserve(req("video", "a", "d", 200, NO_BOUND, Protection.ONE_PLUS_ONE_SRLG_DISJOINT));
        e.reserve(req("command", "a", "c", 50, NO_BOUND, Protection.NONE));
        List<Reroute> out = e.linkDown("b-d");
        assertThat(out).extracting(Reroute::id).containsExactly("office", "video");
        assertThat(out).allMatch(Reroute::rerouted);
        Reroute office = out.get(0);
        assertThat(office.before().primary().links()).contains("b-d");
        assertThat(office.after().primary().links()).containsExactly("a-b", "b-c", "c-d");
        Reroute video = out.get(1);
        assertThat(video.after().primary().links()).doesNotContain("b-d");
        assertThat(video.after().backup().links()).doesNotContain("b-d");
        assertSrlgDisjoint(e.topology(), video.after().primary(), video.after().backup());
        // the surviving path keeps its traffic; only the broken one is replaced
        assertThat(video.after().backup().links()).containsExactly("a-x", "x-d");
        assertThat(video.after().primary().links()).containsExactly("a-b", "b-c", "c-d");
        assertThat(e.reservedMbps("b-d")).isZero();
        assertThat(e.reservation("command").orElseThrow().primary().links()).containsExactly("a-b", "b-c");
        assertThat(e.topology().links()).filteredOn(l -> l.id().equals("b-d")).extracting(Link::up).containsExactly(false);
        long onAb = e.reservations().stream()
                .filter(a -> a.primary().links().contains("a-b") || (a.backup() != null && a.backup().links().contains("a-b")))
                .mapToLong(a -> a.request().bandwidthMbps()).sum();
        assertThat(e.reservedMbps("a-b")).isEqualTo(onAb);
        e.linkUp("b-d");
        assertThat(e.compute(req("n", "a", "d", 1, NO_BOUND, Protection.NONE)).primary().links()).containsExactly("a-b", "b-d");
    }

    @Test
    void linkDownRefusesWhatCannotBeRerouted() {
        PathEngine e = engine(new Topologies().link("a", "b", 100, 1000).link("b", "c", 100, 1000).build());
        e.reserve(req("office", "a", "c", 100, NO_BOUND, Protection.NONE));
        List<Reroute> out = e.linkDown("b-c");
        assertThat(out).hasSize(1);
        assertThat(out.get(0).rerouted()).isFalse();
        assertThat(out.get(0).refusal()).isEqualTo("no path: routers 'a' and 'c' are not connected over links that are up");
        assertThat(e.reservations()).isEmpty();
        assertThat(e.reservedMbps("a-b")).isZero();
    }

    @Test
    void concurrentReservationsNeverOverbook() throws Exception {
        PathEngine e = engine(new Topologies().link("a", "b", 100, 100).link("b", "c", 100, 1000).build());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger admitted = new AtomicInteger();
        try {
            List<Future<?>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int n = i;
                fs.add(pool.submit(() -> {
                    try {
                        e.reserve(req("r" + n, "a", "c", 1, NO_BOUND, Protection.NONE));
                        admitted.incrementAndGet();
                    } catch (TianshuException x) {
                        assertThat(x.field()).isEqualTo("bandwidthMbps");
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(admitted).hasValue(100);
        assertThat(e.reservedMbps("a-b")).isEqualTo(100);
        assertThat(e.reservations()).hasSize(100);
    }

    @Test
    void loadValidatesAndRefusesWhileReservationsExist() {
        Topology bad = new Topology(List.of(new Router("a", RouterRole.CORE, "hz", "fd00::/48")),
                List.of(new Link("a-b", "a", "b", 1000, 10, Set.of(), true)));
        TianshuException x = conflict(() -> new PathEngine().load(bad));
        assertThat(x.kind()).isEqualTo(TianshuException.Kind.INVALID);
        assertThat(x.field()).isEqualTo("links[0].b");
        PathEngine e = engine(Topologies.ladder());
        e.reserve(req("p", "a", "d", 1, NO_BOUND, Protection.NONE));
        assertThat(conflict(() -> e.load(Topologies.trap())).kind()).isEqualTo(TianshuException.Kind.CONFLICT);
        assertThat(new SlicingComponent().topology().routers()).isEmpty();
    }

    static void assertSrlgDisjoint(Topology t, Path p, Path q) {
        Set<String> used = new HashSet<>();
        for (Link l : t.links()) {
            if (p.links().contains(l.id())) {
                used.add("link:" + l.id());
                l.srlgs().forEach(g -> used.add("srlg:" + g));
            }
        }
        for (Link l : t.links()) {
            if (q.links().contains(l.id())) {
                assertThat(used).doesNotContain("link:" + l.id());
                for (String g : l.srlgs()) {
                    assertThat(used).doesNotContain("srlg:" + g);
                }
            }
        }
    }

    @Test
    void replaceSharesTheReleasedBandwidthAndRestoresExactlyOnRefusal() {
        PathEngine e = engine(new Topologies().link("a", "b", 100, 1000).link("b", "c", 100, 1000).build());
        e.reserve(req("x", "a", "c", 300, NO_BOUND, Protection.NONE));
        e.reserve(req("y", "a", "b", 500, NO_BOUND, Protection.NONE));
        // 300 -> 500 fits only with x's own 300 counted as free (make-before-break with shared bandwidth)
        List<PathAnswer> grown = e.replace(List.of("x"), List.of(req("x", "a", "c", 500, NO_BOUND, Protection.NONE)), false);
        assertThat(grown.get(0).request().bandwidthMbps()).isEqualTo(500);
        assertThat(e.reservedMbps("a-b")).isEqualTo(1000);
        // 600 does not fit: refused, x keeps its 500 and its place before y
        TianshuException refused = conflict(() -> e.replace(List.of("x"),
                List.of(req("x", "a", "c", 600, NO_BOUND, Protection.NONE)), false));
        assertThat(refused.field()).isEqualTo("bandwidthMbps");
        assertThat(refused.getMessage()).startsWith("x: bandwidth: link a-b has 500 of 1000 Mbps free, 600 Mbps requested");
        assertThat(e.reservedMbps("a-b")).isEqualTo(1000);
        assertThat(e.reservations()).extracting(PathAnswer::id).containsExactly("x", "y");
        assertThat(e.reservation("x").orElseThrow().request().bandwidthMbps()).isEqualTo(500);
        // all or nothing across requests: the second one's refusal undoes the first
        conflict(() -> e.replace(List.of("y"), List.of(req("y", "a", "b", 100, NO_BOUND, Protection.NONE),
                req("z", "b", "c", 1000, NO_BOUND, Protection.NONE)), false));
        assertThat(e.reservations()).extracting(PathAnswer::id).containsExactly("x", "y");
        assertThat(e.reservedMbps("b-c")).isEqualTo(500);
        // a dry run answers and changes nothing
        List<PathAnswer> dry = e.replace(List.of("x", "y"), List.of(req("z", "a", "c", 1000, NO_BOUND, Protection.NONE)), true);
        assertThat(dry.get(0).primary().links()).containsExactly("a-b", "b-c");
        assertThat(e.reservations()).extracting(PathAnswer::id).containsExactly("x", "y");
        assertThat(e.reservedMbps("a-b")).isEqualTo(1000);
        assertThat(conflict(() -> e.replace(List.of("nope"), List.of(), false)).field()).isEqualTo("release");
        assertThat(conflict(() -> e.replace(List.of(), List.of(req("y", "a", "b", 1, NO_BOUND, Protection.NONE)), false)).field())
                .isEqualTo("id");
    }

    @Test
    void aPinnedAnswerIsBookedAsItIsWhileItFitsAndComputedAfreshOtherwise() {
        PathEngine first = engine(Topologies.ladder());
        PathAnswer shortest = first.reserve(req("p", "a", "d", 10, NO_BOUND, Protection.NONE));
        // a detour that an engine would not choose on its own is kept as it is
        PathAnswer detour = new PathAnswer(shortest.request(), new Path(List.of("a", "c", "d"), List.of("a-c", "c-d"), 0), null);
        PathEngine restored = engine(Topologies.ladder());
        PathAnswer kept = restored.reserve(detour);
        assertThat(kept.primary().routers()).containsExactly("a", "c", "d");
        assertThat(kept.primary().latencyMicros()).isEqualTo(3000);
        assertThat(restored.reservedMbps("a-c")).isEqualTo(10);
        assertThat(conflict(() -> restored.reserve(detour)).field()).isEqualTo("id");
        // a path over a link that is down, or one that does not join the request's routers, is computed again
        PathEngine down = engine(Topologies.ladder());
        down.linkDown("c-d");
        assertThat(down.reserve(detour).primary().routers()).containsExactly("a", "b", "d");
        PathAnswer wrongEnds = new PathAnswer(req("q", "a", "d", 10, NO_BOUND, Protection.NONE),
                new Path(List.of("a", "b"), List.of("a-b"), 0), null);
        assertThat(engine(Topologies.ladder()).reserve(wrongEnds).primary().routers()).containsExactly("a", "b", "d");
    }
}
