package org.tianshu.planes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tianshu.adapter.srv6.Srv6Dataplane;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Connectivity;
import org.tianshu.api.plane.Plane;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.PlaneState;
import org.tianshu.api.plane.ProbeResult;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.testing.LabScripts;
import org.tianshu.persistence.Database;
import org.tianshu.quota.Departments;
import org.tianshu.slicing.PathEngine;

/**
 * The real planner over the real kernel dataplane (needs root): the demo planes of {@code lab/planes/*.yaml} applied
 * by {@link PlaneManager} (real path engine) to {@link Srv6Dataplane} on a lab of its own
 * ({@code lab/srv6.sh} with namespace prefix {@code tsl-}, so it never disturbs the shared {@code ts-} lab; another with
 * {@code -Dplanes.it.labPrefix=P}, e.g. when two worktrees test at once), then
 * proven with the dataplane's probe: sites of a plane reach each other over IPv6 and (dual stack) IPv4, planes are
 * isolated, a bandwidth change re-admits and stays reachable, a 1+1 plane survives a link failure, delete leaves the
 * kernel as it was.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelLabPlanesIT {
    static final String PREFIX = System.getProperty("planes.it.labPrefix", "tsl-");
    static final Map<String, String> LAB = Map.of("SRV6_LAB_PREFIX", PREFIX, "TIANSHU_LAB_DIR", "/var/tmp/tianshu-planes-it-" + PREFIX);
    static final Caller OP = Caller.SYSTEM;
    static final List<String> PLANES = List.of("egov-office", "emergency-command", "video-surveillance");

    static Database db;
    static Srv6Dataplane dp;
    static PlaneManager manager;
    static PathEngine engine;

    @BeforeAll
    static void lab() {
        LabScripts.run(LAB, "srv6.sh", "down");
        LabScripts.run(LAB, "srv6.sh", "up");
        dp = Srv6Dataplane.open(Path.of(LAB.get("TIANSHU_LAB_DIR"), "srv6/topology.json"), PREFIX, Duration.ofSeconds(30));
        // H2: the lab PostgreSQL's test database is emptied by other ITs at any time (PostgresPlanesIT covers it)
        db = Database.open("jdbc:h2:mem:kernel-lab-planes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "", 5);
        new Departments(db.dataSource()).create(new Department("health", "省卫生健康委", null), Caller.SYSTEM);
        new Departments(db.dataSource()).create(new Department("finance", "省财政厅", null), Caller.SYSTEM);
        new Departments(db.dataSource()).create(new Department("emergency", "省应急管理厅", null), Caller.SYSTEM);
        engine = new PathEngine();
        // the defaults of etc/org.tianshu.planes.cfg
        manager = new PlaneManager(db.dataSource(), engine, dp, new Departments(db.dataSource()),
                new PlaneManager.Settings(Pools.of("fd10::/32", 40, 56, "10.128.0.0/12", 20, 24), 1000, 65535));
        assertThat(manager.start()).isTrue();
    }

    @AfterAll
    static void leaveLabClean() {
        leaveLabClean(dp, db, LAB);
    }

    /** Removes every plane from the kernel lab {@code lab}, closes the dataplane and the database, and takes the lab down. */
    static void leaveLabClean(Srv6Dataplane dp, Database db, Map<String, String> lab) {
        if (dp != null) {
            dp.realised().forEach(p -> dp.remove(p.plane()));
            dp.close();
        }
        if (db != null) {
            db.close();
        }
        LabScripts.run(lab, "srv6.sh", "down");
    }

    @Test
    @Order(1)
    void theDemoPlanesApplyAndVerify() throws IOException {
        for (String name : PLANES) {
            PlaneIntent intent = manager.parse(Files.readString(LabScripts.root().resolve("lab/planes/" + name + ".yaml")));
            manager.apply(intent, OP);
            Plane p = manager.get(name, OP);
            assertThat(p.state()).as(name + ": " + p.message()).isEqualTo(PlaneState.VERIFIED);
            assertThat(manager.status(name, OP).drift()).as(name).isEmpty();
        }
        assertThat(dp.realised()).extracting(r -> r.plane()).containsExactlyInAnyOrderElementsOf(PLANES);
    }

    @Test
    @Order(2)
    void sitesOfAPlaneReachEachOther() {
        for (String name : PLANES) {
            Plane p = manager.get(name, OP);
            for (Pair pair : pairs(p)) {
                assertReaches(pair.from.attachment(), host(pair.to, 6), name);
                if (pair.to.ipv4Prefix() != null) {
                    assertReaches(pair.from.attachment(), host(pair.to, 4), name);
                }
            }
        }
    }

    @Test
    @Order(3)
    void planesAreIsolatedFromEachOther() {
        record Probe(String what, Attachment from, String address) {
        }
        List<Probe> probes = new ArrayList<>();
        for (String a : PLANES) {
            for (String b : PLANES) {
                if (a.equals(b)) {
                    continue;
                }
                for (SiteBinding from : manager.get(a, OP).realisation().sites()) {
                    for (SiteBinding to : manager.get(b, OP).realisation().sites()) {
                        probes.add(new Probe(a + "/" + from.site() + " -> " + b + "/" + to.site(), from.attachment(), host(to, 6)));
                        if (to.ipv4Prefix() != null && from.ipv4Prefix() != null) {
                            probes.add(new Probe(a + "/" + from.site() + " -> " + b + "/" + to.site() + " (IPv4)", from.attachment(),
                                    host(to, 4)));
                        }
                    }
                }
            }
        }
        // a lost probe waits a second: in parallel, one process each
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            var results = probes.stream().map(p -> pool.submit(() -> dp.probe(p.from(), p.address(), 2))).toList();
            for (int i = 0; i < probes.size(); i++) {
                assertThat(results.get(i).get().received()).as(probes.get(i).what()).isZero();
            }
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
        assertThat(probes).hasSize(3 * 2 * 16 + 2 * 16);
    }

    @Test
    @Order(4)
    void aBandwidthChangeReadmitsAndStaysReachable() {
        Plane before = manager.get("video-surveillance", OP);
        Plane after = manager.changeBandwidth("video-surveillance", 40, OP);
        assertThat(after.state()).isEqualTo(PlaneState.VERIFIED);
        assertThat(after.paths()).allMatch(a -> a.request().bandwidthMbps() == 40);
        // the access links carry 100 Mbps, and emergency-command holds 10 on some of them
        TianshuException refused = org.junit.jupiter.api.Assertions.assertThrows(TianshuException.class,
                () -> manager.changeBandwidth("video-surveillance", 120, OP));
        assertThat(refused.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
        assertThat(manager.get("video-surveillance", OP).paths()).isEqualTo(after.paths());
        assertThat(before.paths()).allMatch(a -> a.request().bandwidthMbps() == 30);
        for (Pair pair : pairs(after)) {
            assertReaches(pair.from.attachment(), host(pair.to, 6), "video-surveillance");
        }
    }

    @Test
    @Order(5)
    void aOnePlusOnePlaneStaysReachableWhenALinkOfItsPrimaryGoesDown() throws Exception {
        Plane p = manager.get("emergency-command", OP);
        // the ring link mianyang-zigong carries primaries of emergency-command
        String link = "my-acc~zg-agg";
        assertThat(p.paths()).anyMatch(a -> a.primary().links().contains(link));
        List<Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        manager.publishTo(events::add);
        try (AutoCloseable watcher = dp.watchLinks()) {
            Thread.sleep(300);
            LabScripts.run(LAB, "srv6.sh", "impair", link, "down");
            long t0 = System.nanoTime();
            SiteBinding from = site(p, "my-post");
            SiteBinding to = site(p, "zg-post");
            ProbeResult r;
            do {
                r = dp.probe(from.attachment(), host(to, 6), 1);
            } while (r.received() == 0 && System.nanoTime() - t0 < 10_000_000_000L);
            System.out.printf("planes on srv6: %s down, my-post -> zg-post carried by the standing backup after %d ms%n", link,
                    (System.nanoTime() - t0) / 1_000_000);
            // the dataplane's 1+1 switch: every pair of the plane is reachable on its backups
            for (Pair pair : pairs(p)) {
                assertReaches(pair.from.attachment(), host(pair.to, 6), "emergency-command");
                assertReaches(pair.from.attachment(), host(pair.to, 4), "emergency-command");
            }
            // the planner learns the link is down: pairs that can be protected again get new disjoint paths, pairs
            // of the access router my-acc (two uplinks, one down) cannot: they keep one path, the plane is DEGRADED
            // naming them
            manager.syncTopology(OP);
            Plane moved = manager.get("emergency-command", OP);
            assertThat(moved.state()).isEqualTo(PlaneState.DEGRADED);
            assertThat(moved.message()).contains("unprotected").contains("emergency-command/my-post~zg-post");
            assertThat(events).anyMatch(e -> e.type() == EventType.PLANE_DEGRADED && e.subject().equals("plane/emergency-command"));
            assertThat(manager.status("emergency-command", OP).drift()).isEmpty();
            for (SrPolicy pol : moved.realisation().policies()) {
                assertThat(pol.path().links()).as(pol.from() + " -> " + pol.to()).doesNotContain(link);
            }
            assertThat(moved.realisation().policies().stream().filter(pol -> !pol.backup()).count()).isEqualTo(12);
            for (Pair pair : pairs(moved)) {
                assertReaches(pair.from.attachment(), host(pair.to, 6), "emergency-command");
                assertReaches(pair.from.attachment(), host(pair.to, 4), "emergency-command");
            }
        } finally {
            LabScripts.run(LAB, "srv6.sh", "clear", link);
        }
        // the link is back: the refused pairs are admitted again and pushed
        manager.syncTopology(OP);
        Plane back = manager.get("emergency-command", OP);
        assertThat(back.state()).as(back.message()).isEqualTo(PlaneState.VERIFIED);
        assertThat(back.paths()).hasSize(6).allMatch(a -> a.backup() != null);
        assertThat(events).anyMatch(e -> e.type() == EventType.PLANE_REROUTED && e.subject().equals("plane/emergency-command"));
        manager.publishTo(null);
        for (Pair pair : pairs(back)) {
            assertReaches(pair.from.attachment(), host(pair.to, 6), "emergency-command");
        }
    }

    @Test
    @Order(6)
    void theVerifierSeesLossOnAPlanesPathAndItsRecovery() {
        List<Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<MetricPoint> points = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (PlaneVerifier verifier = new PlaneVerifier(manager, () -> java.util.Optional.of(dp), events::add, points::addAll,
                new PlaneVerifier.Settings(100, 16), java.time.Clock.systemUTC())) {
            manager.verifyWith(verifier);
            long t0 = System.nanoTime();
            Map<String, PlaneVerifier.Verification> clean = verifier.verifyAll();
            System.out.printf("planes on srv6: a verification round of 3 planes took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(clean).containsOnlyKeys(PLANES);
            clean.forEach((name, v) -> assertThat(v.compliant()).as(name + ": " + v.checks()).isTrue());
            assertThat(events).isEmpty();
            // 12 directed pairs x 2 families (egov), 12 x 2 (emergency), 6 (video): one point each
            assertThat(points).hasSize(54).allMatch(pt -> pt.measurement().equals("plane_slo") && pt.tags().containsKey("plane")
                    && pt.tags().containsKey("from") && pt.tags().containsKey("to") && pt.fields().containsKey("latency_ms")
                    && pt.fields().get("loss").equals(0.0));
            for (PlaneVerifier.Verification v : clean.values()) {
                v.checks().stream().filter(c -> !c.isolation()).forEach(c -> assertThat(c.latencyMicros()).isBetween(0L, 15_000L));
                System.out.printf("planes on srv6: latency (half RTT p50) %s%n", v.checks().stream().filter(c -> !c.isolation())
                        .map(c -> c.from() + ">" + c.to() + "/v" + c.family() + " " + c.latencyMicros() + " us").toList());
            }
            assertThat(manager.status("video-surveillance", OP).compliant()).isTrue();

            // 30 % loss on the first link of the video platform's path to the mianyang cameras (one direction: the pair's
            // two policies share the path, so every round trip crosses the lossy direction once)
            Plane video = manager.get("video-surveillance", OP);
            SrPolicy towardsCameras = video.realisation().policies().stream()
                    .filter(pol -> pol.from().equals("platform") && pol.to().equals("my-cameras") && !pol.backup()).findFirst().orElseThrow();
            String link = towardsCameras.path().links().get(0);
            events.clear();
            long impaired = System.nanoTime();
            LabScripts.run(LAB, "srv6.sh", "impair", link, "loss=30");
            try {
                Map<String, PlaneVerifier.Verification> lossy = verifier.verifyAll();
                long detected = System.nanoTime();
                assertThat(lossy.get("video-surveillance").compliant()).isFalse();
                assertThat(lossy.get("video-surveillance").checks()).anySatisfy(c -> {
                    assertThat(c.from()).isEqualTo("platform");
                    assertThat(c.to()).isEqualTo("my-cameras");
                    assertThat(c.violation()).startsWith("loss: ");
                    assertThat(c.loss()).isBetween(0.1, 0.5);
                });
                assertThat(events).anySatisfy(e -> {
                    assertThat(e.type()).isEqualTo(EventType.PLANE_SLO_VIOLATED);
                    assertThat(e.subject()).isEqualTo("plane/video-surveillance");
                    assertThat(e.departmentId()).isEqualTo("emergency");
                    assertThat(e.attributes()).containsEntry("plane", "video-surveillance").containsEntry("from", "platform")
                            .containsEntry("to", "my-cameras").containsEntry("measure", "loss");
                });
                System.out.printf("planes on srv6: %s loss=30: violation event %d ms after the impairment (one round on demand)%n", link,
                        (detected - impaired) / 1_000_000);
                var status = manager.status("video-surveillance", OP);
                assertThat(status.compliant()).isFalse();
                assertThat(status.checks()).anyMatch(c -> !c.compliant());
                // isolation holds under loss
                lossy.values().forEach(v -> assertThat(v.checks()).filteredOn(c -> c.isolation()).allMatch(c -> c.compliant()));
            } finally {
                LabScripts.run(LAB, "srv6.sh", "clear", link);
            }
            List<Event> violations = events.stream().filter(e -> e.type() == EventType.PLANE_SLO_VIOLATED).toList();
            events.clear();
            Map<String, PlaneVerifier.Verification> restored = verifier.verifyAll();
            restored.forEach((name, v) -> assertThat(v.compliant()).as(name + ": " + v.checks()).isTrue());
            // one RESTORED per VIOLATED, for the same pair
            assertThat(events).allMatch(e -> e.type() == EventType.PLANE_SLO_RESTORED).hasSameSizeAs(violations);
            assertThat(events.stream().map(e -> e.attributes().get("plane") + e.attributes().get("from") + e.attributes().get("to")
                    + e.attributes().get("family")).sorted().toList())
                    .isEqualTo(violations.stream().map(e -> e.attributes().get("plane") + e.attributes().get("from") + e.attributes().get("to")
                            + e.attributes().get("family")).sorted().toList());
            assertThat(manager.status("video-surveillance", OP).compliant()).isTrue();
        } finally {
            manager.verifyWith(null);
        }
    }

    @Test
    @Order(9)
    void deleteLeavesTheKernelClean() {
        for (String name : PLANES) {
            manager.delete(name, OP);
        }
        assertThat(manager.list(OP)).isEmpty();
        assertThat(engine.reservations()).isEmpty();
        assertThat(dp.realised()).isEmpty();
        // nothing of a plane is left on any router or host: no tables, rules, SIDs, addresses or aliases
        for (String ns : namespaces()) {
            String rules = sh("ip", "-n", ns, "-6", "rule", "show") + sh("ip", "-n", ns, "-4", "rule", "show");
            assertThat(rules).as(ns).doesNotContain("lookup 1");
            assertThat(sh("ip", "-n", ns, "-6", "route", "show", "table", "all")).as(ns).doesNotContain("fd10:")
                    .doesNotContain("mode encap").doesNotContain("End.D");
            assertThat(sh("ip", "-n", ns, "-4", "route", "show", "table", "all")).as(ns).doesNotContain("10.128.");
            assertThat(sh("ip", "-n", ns, "link", "show")).as(ns).doesNotContain("tianshu:");
        }
    }

    // ---- helpers

    record Pair(SiteBinding from, SiteBinding to) {
    }

    /** The site pairs that talk to each other, both directions: any-to-any all, hub-and-spoke each spoke with the hub. */
    static List<Pair> pairs(Plane p) {
        List<SiteBinding> sites = p.realisation().sites();
        List<Pair> out = new ArrayList<>();
        for (SiteBinding a : sites) {
            for (SiteBinding b : sites) {
                if (a != b && (p.intent().connectivity() == Connectivity.ANY_TO_ANY
                        || a.site().equals(p.intent().hub()) || b.site().equals(p.intent().hub()))) {
                    out.add(new Pair(a, b));
                }
            }
        }
        return out;
    }

    static SiteBinding site(Plane p, String routerOrSite) {
        return p.realisation().sites().stream()
                .filter(s -> s.site().equals(routerOrSite) || s.attachment().router().equals(routerOrSite)).findFirst().orElseThrow();
    }

    /** The host behind a site: the first address of its prefix. */
    static String host(SiteBinding s, int family) {
        String prefix = family == 6 ? s.ipv6Prefix() : s.ipv4Prefix();
        return new inet.ipaddr.IPAddressString(prefix).getAddress().getLower().withoutPrefixLength().increment(1).toCanonicalString();
    }

    static void assertReaches(Attachment from, String address, String plane) {
        ProbeResult r = dp.probe(from, address, 5);
        assertThat(r.received()).as(plane + ": " + from + " -> " + address).isEqualTo(5);
    }

    static List<String> namespaces() {
        return sh("ip", "netns", "list").lines().map(l -> l.split(" ")[0]).filter(n -> n.startsWith(PREFIX)).toList();
    }

    static String sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
