package org.tianshu.planes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tianshu.adapter.influxdb.InfluxSink;
import org.tianshu.adapter.srv6.Srv6Dataplane;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Plane;
import org.tianshu.api.plane.PlaneState;
import org.tianshu.api.plane.PlaneStatus;
import org.tianshu.api.plane.ProbeResult;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SloCheck;
import org.tianshu.api.plane.SrPolicy;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.testing.LabInflux;
import org.tianshu.api.testing.LabScripts;
import org.tianshu.metrics.MetricsHub;
import org.tianshu.persistence.Database;
import org.tianshu.quota.Departments;
import org.tianshu.slicing.PathEngine;

/**
 * A plane's SLO verification on a kernel lab of its own ({@code lab/srv6.sh} with namespace prefix {@code tp-}, needs
 * root) with the runtime's metrics path: {@link PlaneVerifier} → {@link MetricsHub} (points and events) →
 * {@link InfluxSink} → the lab's real InfluxDB ({@code lab/influx.sh}), read back with the queries of the planes
 * dashboard ({@code karaf-assembly/src/main/resources/grafana/tianshu-planes.json}). The breach is real queueing delay:
 * {@code impair LINK delay=MS} keeps a standing queue on both ends of a link of the plane's path (this kernel has no
 * netem).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlaneSloIT {
    static final Map<String, String> LAB = Map.of("SRV6_LAB_PREFIX", "tp-", "TIANSHU_LAB_DIR", "/var/tmp/tianshu-planes-slo-it");
    static final Caller OP = Caller.SYSTEM;
    /** The demo video plane (maxLatencyMs 30, maxLossPercent 0.5) under a name no other writer of InfluxDB uses. */
    static final String PLANE = "slo-it-video";
    static final int DELAY_MS = 100;
    static final Path DASHBOARD = Path.of("karaf-assembly/src/main/resources/grafana/tianshu-planes.json");

    static Database db;
    static Srv6Dataplane dp;
    static PlaneManager manager;
    static MetricsHub hub;
    static InfluxSink sink;
    static PlaneVerifier verifier;
    static final List<Event> EVENTS = new CopyOnWriteArrayList<>();
    static Instant started;
    static int pointsRecorded;
    static int eventsPublished;

    @BeforeAll
    static void labAndPlane() throws IOException {
        started = Instant.now();
        LabScripts.run(LAB, "srv6.sh", "down");
        LabScripts.run(LAB, "srv6.sh", "up");
        LabInflux.start();
        dp = Srv6Dataplane.open(Path.of(LAB.get("TIANSHU_LAB_DIR"), "srv6/topology.json"), "tp-", Duration.ofSeconds(30));
        db = Database.open("jdbc:h2:mem:plane-slo-it;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "", 5);
        new Departments(db.dataSource()).create(new Department("emergency", "省应急管理厅", null), Caller.SYSTEM);
        manager = new PlaneManager(db.dataSource(), new PathEngine(), dp, new Departments(db.dataSource()),
                new PlaneManager.Settings(Pools.of("fd10::/32", 40, 56, "10.128.0.0/12", 20, 24), 1000, 65535));
        assertThat(manager.start()).isTrue();
        String yaml = Files.readString(LabScripts.root().resolve("lab/planes/video-surveillance.yaml"));
        manager.apply(manager.parse(yaml.replace("name: video-surveillance", "name: " + PLANE)), OP);
        assertThat(manager.get(PLANE, OP).state()).isEqualTo(PlaneState.VERIFIED);
        // as PlanesComponent and MetricsComponent wire them in the runtime
        hub = new MetricsHub();
        sink = InfluxSink.connect(LabInflux.URL, LabInflux.DATABASE, "", "", 500, Duration.ofMillis(100), 10_000,
                Duration.ofSeconds(1), 2);
        hub.addSink(sink);
        verifier = verifier(new PlaneVerifier.Settings(100, 8));
        manager.verifyWith(verifier);
    }

    @AfterAll
    static void leaveLabClean() {
        if (manager != null) {
            manager.verifyWith(null);
        }
        if (verifier != null) {
            verifier.close();
        }
        if (sink != null) {
            sink.close();
        }
        KernelLabPlanesIT.leaveLabClean(dp, db, LAB);
    }

    /** A verifier on the lab whose events and points go to the test's lists and, as in the runtime, the metrics hub. */
    private static PlaneVerifier verifier(PlaneVerifier.Settings settings) {
        return new PlaneVerifier(manager, () -> Optional.of(dp), e -> {
            EVENTS.add(e);
            eventsPublished++;
            hub.onEvent(e);
        }, points -> {
            pointsRecorded += points.size();
            hub.record(points);
        }, settings, Clock.systemUTC());
    }

    @Test
    @Order(1)
    void aStandingQueueOnThePlanesPathBreaksItsLatencySloAndClearingRestoresIt() {
        Map<String, PlaneVerifier.Verification> clean = verifier.verifyAll();
        assertThat(clean.get(PLANE).compliant()).as(clean.get(PLANE).checks().toString()).isTrue();
        assertThat(EVENTS).isEmpty();

        // the first link from the video platform towards the mianyang cameras; the way back crosses it too, so a round
        // trip waits in both of its queues
        Plane plane = manager.get(PLANE, OP);
        SrPolicy there = policy(plane, "platform", "my-cameras");
        String link = there.path().links().get(0);
        assertThat(policy(plane, "my-cameras", "platform").path().links()).contains(link);
        SiteBinding platform = site(plane, "platform");
        String cameras = PlaneVerifier.host(site(plane, "my-cameras").ipv6Prefix());
        ProbeResult before = dp.probe(platform.attachment(), cameras, 50);

        long impaired = System.nanoTime();
        LabScripts.run(LAB, "srv6.sh", "impair", link, "delay=" + DELAY_MS + "ms");
        try {
            Map<String, PlaneVerifier.Verification> slow = verifier.verifyAll();
            long detected = System.nanoTime();
            ProbeResult during = dp.probe(platform.attachment(), cameras, 50);
            System.out.printf("planes SLO: %s delay=%dms: round trip p50 %.2f ms -> %.2f ms (max %.2f), loss %.2f;"
                    + " latency violation %d ms after the impairment (one verification round on demand)%n", link, DELAY_MS,
                    before.rttMicrosP50() / 1000.0, during.rttMicrosP50() / 1000.0, during.rttMicrosMax() / 1000.0,
                    during.loss(), (detected - impaired) / 1_000_000);
            // the queue is real: about DELAY_MS more in each direction, and nothing is dropped
            assertThat(during.loss()).isZero();
            assertThat(during.rttMicrosP50() - before.rttMicrosP50()).isBetween(2 * DELAY_MS * 800L, 2 * DELAY_MS * 1300L);

            PlaneVerifier.Verification v = slow.get(PLANE);
            assertThat(v.compliant()).isFalse();
            SloCheck check = v.checks().stream().filter(c -> c.from().equals("platform") && c.to().equals("my-cameras"))
                    .findFirst().orElseThrow();
            assertThat(check.compliant()).isFalse();
            assertThat(check.violation()).startsWith("latency: ").endsWith("> 30.00 ms");
            assertThat(check.latencyMicros()).isBetween(DELAY_MS * 800L, DELAY_MS * 1300L);
            assertThat(check.loss()).isZero();
            // every failing check of the round fails on latency (only pairs whose path crosses the link fail)
            assertThat(v.checks()).filteredOn(c -> !c.compliant()).allMatch(c -> c.violation().startsWith("latency: "))
                    .allMatch(c -> crosses(plane, c, link));
            assertThat(v.checks()).filteredOn(c -> !crosses(plane, c, link)).allMatch(SloCheck::compliant);
            assertThat(EVENTS).isNotEmpty().allSatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.PLANE_SLO_VIOLATED);
                assertThat(e.subject()).isEqualTo("plane/" + PLANE);
                assertThat(e.departmentId()).isEqualTo("emergency");
                assertThat(e.attributes()).containsEntry("plane", PLANE).containsEntry("measure", "latency");
            });
            assertThat(EVENTS).anySatisfy(e -> assertThat(e.attributes()).containsEntry("from", "platform")
                    .containsEntry("to", "my-cameras"));
            PlaneStatus status = manager.status(PLANE, OP);
            assertThat(status.compliant()).isFalse();
            assertThat(status.checks()).filteredOn(c -> !c.compliant()).isNotEmpty()
                    .allMatch(c -> c.violation().startsWith("latency: "));
        } finally {
            LabScripts.run(LAB, "srv6.sh", "clear", link);
        }
        List<Event> violations = List.copyOf(EVENTS);
        EVENTS.clear();
        // the queue drains within its depth: the next round is compliant again, one RESTORED per VIOLATED
        Map<String, PlaneVerifier.Verification> restored = verifier.verifyAll();
        assertThat(restored.get(PLANE).compliant()).as(restored.get(PLANE).checks().toString()).isTrue();
        assertThat(EVENTS).allMatch(e -> e.type() == EventType.PLANE_SLO_RESTORED).hasSameSizeAs(violations);
        assertThat(pairs(EVENTS)).isEqualTo(pairs(violations));
        assertThat(manager.status(PLANE, OP).compliant()).isTrue();
        assertThat(dp.probe(platform.attachment(), cameras, 50).rttMicrosP50()).isLessThan(10_000);
    }

    @Test
    @Order(2)
    void theSloPointsAndEventsAreInInfluxDbAsThePlanesDashboardQueriesThem() throws Exception {
        // three rounds of 6 directed pairs (hub and spoke, IPv6 only): 18 points, all flushed
        assertThat(pointsRecorded).isEqualTo(18);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (sink.stats().written() < pointsRecorded + eventsPublished && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sink.stats().written()).isEqualTo(pointsRecorded + eventsPublished);
        assertThat(sink.stats().lastError()).isNull();
        Plane plane = manager.get(PLANE, OP);
        Set<String> pairs = new TreeSet<>();
        plane.realisation().policies().forEach(p -> pairs.add(p.from() + ">" + p.to()));
        assertThat(pairs).hasSize(6);

        // latency per plane and path: every pair of the plane is a series; the pairs across the delayed link had a
        // mean above the SLO in one round, the others never
        List<JsonNode> latency = series(panelQuery("SLO latency per plane and path"));
        assertThat(latency).extracting(s -> s.path("tags").path("from").asText() + ">" + s.path("tags").path("to").asText())
                .containsExactlyInAnyOrderElementsOf(pairs);
        List<String> slow = new ArrayList<>();
        for (JsonNode s : latency) {
            double max = 0;
            for (JsonNode row : s.path("values")) {
                max = Math.max(max, row.get(1).asDouble());
            }
            if (max > 30) {
                assertThat(max).isBetween(DELAY_MS * 0.8, DELAY_MS * 1.3);
                slow.add(s.path("tags").path("from").asText() + ">" + s.path("tags").path("to").asText());
            }
        }
        assertThat(slow).contains("platform>my-cameras", "my-cameras>platform");
        // loss per plane and path: nothing lost, not even behind the standing queue
        List<JsonNode> loss = series(panelQuery("SLO loss per plane and path"));
        assertThat(loss).hasSize(6).allSatisfy(s -> s.path("values")
                .forEach(row -> assertThat(row.get(1).asDouble()).isZero()));
        // failed checks per plane: the latency round's, counted under the plane's tag
        List<JsonNode> failed = series(panelQuery("Failed SLO checks per plane"));
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).path("values").get(0).get(1).asInt()).isEqualTo(slow.size());
    }

    @Test
    @Order(3)
    void rateProbesMeasureEachPathsBandwidthAndALimitedLinkBreaksTheMinimum() throws Exception {
        Instant from = Instant.now();
        try (PlaneVerifier rates = verifier(new PlaneVerifier.Settings(100, 8, Duration.ofSeconds(1)))) {
            manager.verifyWith(rates);
            EVENTS.clear();
            Plane plane = manager.get(PLANE, OP);
            // the video plane's minimum is 30 Mbit/s: each probe offers 37.5
            long t0 = System.nanoTime();
            PlaneVerifier.Verification clean = rates.verifyAll().get(PLANE);
            System.out.printf("planes SLO: a round with 6 rate probes of 1 s took %d ms; delivered %s%n", (System.nanoTime() - t0) / 1_000_000,
                    clean.checks().stream().map(c -> c.from() + ">" + c.to() + " " + Math.round(c.bandwidthMbps()) + " Mbit/s").toList());
            assertThat(clean.compliant()).as(clean.checks().toString()).isTrue();
            assertThat(clean.checks()).hasSize(6).allSatisfy(c -> assertThat(c.bandwidthMbps()).isBetween(30.0, 37.5 * 1.1));

            String link = policy(plane, "platform", "my-cameras").path().links().get(0);
            LabScripts.run(LAB, "srv6.sh", "impair", link, "rate=20mbit");
            PlaneVerifier.Verification limited;
            try {
                limited = rates.verifyAll().get(PLANE);
            } finally {
                LabScripts.run(LAB, "srv6.sh", "clear", link);
            }
            System.out.printf("planes SLO: %s rate=20mbit: delivered %s%n", link, limited.checks().stream()
                    .map(c -> c.from() + ">" + c.to() + " " + Math.round(c.bandwidthMbps()) + " Mbit/s").toList());
            assertThat(limited.compliant()).isFalse();
            assertThat(limited.checks()).filteredOn(c -> crosses(plane, c, link)).isNotEmpty().allSatisfy(c -> {
                assertThat(c.violation()).startsWith("bandwidth: ").endsWith("< 30.0 Mbit/s");
                assertThat(c.bandwidthMbps()).isBetween(10.0, 20.0);
            });
            assertThat(limited.checks()).filteredOn(c -> !crosses(plane, c, link)).allMatch(SloCheck::compliant);
            assertThat(EVENTS).isNotEmpty().allSatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.PLANE_SLO_VIOLATED);
                assertThat(e.attributes()).containsEntry("measure", "bandwidth").containsKey("bandwidth_mbps");
            });
            assertThat(manager.status(PLANE, OP).checks()).filteredOn(c -> !c.compliant()).isNotEmpty()
                    .allMatch(c -> c.violation().startsWith("bandwidth: "));
            List<Event> violations = List.copyOf(EVENTS);
            EVENTS.clear();

            PlaneVerifier.Verification restored = rates.verifyAll().get(PLANE);
            assertThat(restored.compliant()).as(restored.checks().toString()).isTrue();
            assertThat(pairs(EVENTS)).isEqualTo(pairs(violations));

            // the delivered rates are in InfluxDB under the dashboard's bandwidth panel, per pair
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (sink.stats().written() < pointsRecorded + eventsPublished && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<JsonNode> bandwidth = series(panelQuery("SLO bandwidth per plane and path (rate probes)", from));
            assertThat(bandwidth).hasSize(6);
            for (JsonNode sr : bandwidth) {
                String pair = sr.path("tags").path("from").asText() + ">" + sr.path("tags").path("to").asText();
                List<Double> values = new ArrayList<>();
                sr.path("values").forEach(row -> values.add(row.get(1).asDouble()));
                assertThat(values).as(pair).hasSize(3);
                // clean, limited, restored: only the pairs across the limited link dipped below the minimum
                assertThat(values.get(1) < 30).as(pair + " " + values).isEqualTo(crosses(plane, sloCheck(limited, pair), link));
                assertThat(values.get(0)).as(pair).isGreaterThanOrEqualTo(30);
                assertThat(values.get(2)).as(pair).isGreaterThanOrEqualTo(30);
            }
        } finally {
            manager.verifyWith(verifier);
        }
    }

    @Test
    @Order(4)
    void aRateProbeRefusesBadInputNamingTheFieldAndMeasuresNothingWhereNothingArrives() {
        Plane plane = manager.get(PLANE, OP);
        Attachment platform = site(plane, "platform").attachment();
        Attachment cameras = site(plane, "my-cameras").attachment();
        String address = PlaneVerifier.host(site(plane, "my-cameras").ipv6Prefix());
        Duration second = Duration.ofSeconds(1);
        assertField(() -> dp.rateMbps(Attachment.parse("my-acc/p9"), cameras, address, 10, second), TianshuException.Kind.NOT_FOUND, "from");
        assertField(() -> dp.rateMbps(platform, Attachment.parse("my-acc/p9"), address, 10, second), TianshuException.Kind.NOT_FOUND, "to");
        assertField(() -> dp.rateMbps(platform, cameras, "fd10::/64", 10, second), TianshuException.Kind.INVALID, "address");
        assertField(() -> dp.rateMbps(platform, cameras, address, 0, second), TianshuException.Kind.INVALID, "offeredMbps");
        assertField(() -> dp.rateMbps(platform, cameras, address, 10, Duration.ofMillis(50)), TianshuException.Kind.INVALID, "duration");
        // a host of no plane (its port is unbound): no connection, nothing delivered
        Attachment unbound = Attachment.parse("ls-agg/p2");
        assertThat(dp.rateMbps(platform, unbound, "fd10:ffff::1", 10, Duration.ofMillis(200))).hasValue(0.0);
    }

    // ---- helpers

    static void assertField(Runnable call, TianshuException.Kind kind, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TianshuException.class, e -> {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
            assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
        });
    }

    static SloCheck sloCheck(PlaneVerifier.Verification v, String pair) {
        return v.checks().stream().filter(c -> (c.from() + ">" + c.to()).equals(pair)).findFirst().orElseThrow();
    }

    /** The dashboard panel's query as Grafana sends it for the time since this test began, rows of this plane only. */
    static String panelQuery(String title) throws IOException {
        return panelQuery(title, started);
    }

    /** The same from a given time on. */
    static String panelQuery(String title, Instant since) throws IOException {
        JsonNode d = new ObjectMapper().readTree(LabScripts.root().resolve(DASHBOARD).toFile());
        for (JsonNode p : d.path("panels")) {
            if (p.path("title").asText().equals(title)) {
                String q = p.path("targets").get(0).path("query").asText();
                assertThat(q).contains("$timeFilter");
                return q.replace("$timeFilter", "\"plane\" = '" + PLANE + "' AND time >= " + since.toEpochMilli() + "ms")
                        .replace("$__interval", "100ms"); // a round's checks end within it, rounds are seconds apart
            }
        }
        throw new AssertionError("no panel " + title + " in " + DASHBOARD);
    }

    /** The series of a query's first result. */
    static List<JsonNode> series(String query) throws IOException {
        JsonNode r = new ObjectMapper().readTree(LabInflux.query(query)).path("results").get(0);
        assertThat(r.has("error")).as(query + ": " + r).isFalse();
        List<JsonNode> out = new ArrayList<>();
        r.path("series").forEach(s -> {
            assertThat(s.path("tags").path("plane").asText()).as(query + ": " + s).isEqualTo(PLANE);
            out.add(s);
        });
        return out;
    }

    static SrPolicy policy(Plane p, String from, String to) {
        return p.realisation().policies().stream().filter(x -> x.from().equals(from) && x.to().equals(to) && !x.backup())
                .findFirst().orElseThrow();
    }

    static SiteBinding site(Plane p, String name) {
        return p.realisation().sites().stream().filter(s -> s.site().equals(name)).findFirst().orElseThrow();
    }

    /** Whether the round trip of a check (its policy there or back) crosses the link. */
    static boolean crosses(Plane p, SloCheck c, String link) {
        return policy(p, c.from(), c.to()).path().links().contains(link) || policy(p, c.to(), c.from()).path().links().contains(link);
    }

    static List<String> pairs(List<Event> events) {
        return events.stream().map(e -> e.attributes().get("from") + ">" + e.attributes().get("to") + "/" + e.attributes().get("family"))
                .sorted().toList();
    }
}
