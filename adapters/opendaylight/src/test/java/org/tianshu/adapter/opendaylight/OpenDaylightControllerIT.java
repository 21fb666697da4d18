package org.tianshu.adapter.opendaylight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.RouterRole;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.Topology;
import org.tianshu.api.testing.LabScripts;

/**
 * Against the real OpenDaylight (lighty.io 21.1.0) and NETCONF devices that {@code lab/opendaylight.sh} starts: four
 * routers r1..r4 in a ring, mounted and seeded from lab/opendaylight/topology.json. The edge routers r2 and r3 get
 * bare network namespaces ({@code tso-r2}, {@code tso-r3}: loopback and the customer ports p1, p2), so the lab's
 * router agents program what OpenDaylight writes to their devices into those kernels. The last test stops the lab.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenDaylightControllerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OpenDaylightController odl;

    private static final String NETNS_PREFIX = "tso-";
    private static final List<String> EDGES = List.of("r2", "r3");

    @BeforeAll
    static void startController() {
        for (String r : EDGES) {
            String ns = NETNS_PREFIX + r;
            sh("ip netns del " + ns + " 2>/dev/null; ip netns add " + ns + " && ip -n " + ns + " link set lo up"
                    + " && ip netns exec " + ns + " sysctl -qw net.ipv6.conf.all.seg6_enabled=1"
                    + " net.ipv6.conf.all.forwarding=1"
                    + " && for p in p1 p2; do ip -n " + ns + " link add $p type veth peer name $p-h"
                    + " && ip -n " + ns + " link set $p up && ip -n " + ns + " link set $p-h up; done");
        }
        LabScripts.run(Map.of("ODL_LAB_NETNS_PREFIX", NETNS_PREFIX), "opendaylight.sh", "start");
        odl = new OpenDaylightController(new RestconfSettings("http://127.0.0.1:8888/restconf", "", "",
                Duration.ofSeconds(2), Duration.ofSeconds(20), "topology-netconf"));
        odl.realised().forEach(p -> odl.remove(p.plane()));
    }

    @Test
    @Order(1)
    void readsTheBackboneFromTheMountedRouters() {
        Topology t = odl.topology();
        assertThat(t.routers()).containsExactly(
                new Router("r1", RouterRole.CORE, "chengdu", "fd00:0:1::/48"),
                new Router("r2", RouterRole.AGGREGATION, "mianyang", "fd00:0:2::/48"),
                new Router("r3", RouterRole.AGGREGATION, "zigong", "fd00:0:3::/48"),
                new Router("r4", RouterRole.CORE, "chengdu", "fd00:0:4::/48"));
        assertThat(t.links()).extracting(Link::id).containsExactly("r1~r2", "r2~r3", "r3~r4", "r4~r1");
        assertThat(t.links()).filteredOn(l -> l.id().equals("r4~r1")).singleElement().satisfies(l -> {
            assertThat(l.capacityMbps()).isEqualTo(10000);
            assertThat(l.latencyMicros()).isEqualTo(100);
            assertThat(l.srlgs()).isEmpty();
            assertThat(l.up()).isTrue();
        });
        assertThat(t.links()).filteredOn(l -> l.id().equals("r2~r3")).singleElement()
                .satisfies(l -> assertThat(l.srlgs()).containsExactly("duct-west"));
        assertThat(odl.attachments()).extracting(Attachment::toString).containsExactly("r2/p1", "r2/p2", "r3/p1", "r3/p2");
    }

    @Test
    @Order(2)
    void appliesTwoPlanesAndReadsThemBackEqual() {
        assertThat(odl.sync(Planes.egov())).isEqualTo(2);
        assertThat(odl.sync(Planes.video())).isEqualTo(2);
        assertThat(odl.realised()).containsExactly(Planes.egov(), Planes.video());
    }

    @Test
    @Order(3)
    void theRouterAgentsProgramThePlanesIntoTheKernel() {
        awaitKernel("r2", 100, List.of(
                "2409:8000:1:100::/56 dev p1",
                "fd00:0:2::a:100 End.DT6 table 100",
                "2409:8000:1:200::/56 segs [fd00:0:3::a:100] metric 1024",
                "2409:8000:1:200::/56 segs [fd00:0:1::1, fd00:0:4::1, fd00:0:3::a:100] metric 2048",
                "throw fd00::/16"));
        awaitKernel("r3", 100, List.of(
                "2409:8000:1:200::/56 dev p1",
                "fd00:0:3::a:100 End.DT6 table 100",
                "2409:8000:1:100::/56 segs [fd00:0:2::a:100] metric 1024",
                "throw fd00::/16"));
        awaitKernel("r3", 200, List.of(
                "2409:8000:2:100::/56 dev p2",
                "fd00:0:3::a:200 End.DT6 table 200",
                "2409:8000:2:200::/56 segs [fd00:0:4::1, fd00:0:1::1, fd00:0:2::a:200] metric 1024",
                "throw fd00::/16"));
        assertThat(sh("ip -n tso-r2 -6 rule show")).contains("iif p1 lookup 100").contains("iif p2 lookup 200");
        assertThat(sh("ip -n tso-r2 -4 route show table 100")).contains("10.16.1.0/24 dev p1");
    }

    @Test
    @Order(4)
    void applyingTheSamePlaneAgainChangesNothing() {
        assertThat(odl.sync(Planes.egov())).isZero();
        assertThat(odl.sync(Planes.video())).isZero();
        assertThat(odl.realised()).containsExactly(Planes.egov(), Planes.video());
    }

    @Test
    @Order(5)
    void aChangedPlaneReplacesTheOldOneOnlyWhereItDiffers() {
        PlaneRealisation egov = Planes.egov();
        // without the way back: only r3, its head end, changes
        PlaneRealisation oneWay = new PlaneRealisation(egov.plane(), egov.table(), egov.sites(),
                egov.policies().subList(0, 2));
        assertThat(odl.sync(oneWay)).isEqualTo(1);
        assertThat(odl.realised()).containsExactly(oneWay, Planes.video());

        // both sites on r3: r2 no longer takes part and is cleared
        PlaneRealisation local = new PlaneRealisation(egov.plane(), egov.table(), List.of(
                new SiteBinding("hz-a", Attachment.parse("r3/p1"), "2409:8000:1:100::/56", null, "fd00:0:3::a:100"),
                new SiteBinding("nb-a", Attachment.parse("r3/p2"), "2409:8000:1:200::/56", null, "fd00:0:3::a:101")),
                List.of());
        assertThat(odl.sync(local)).isEqualTo(2);
        assertThat(odl.realised()).containsExactly(local, Planes.video());
        assertThat(odl.sync(Planes.egov())).isEqualTo(2);
    }

    @Test
    @Order(6)
    void badInputIsRefusedNamingTheFieldAndNothingIsWritten() {
        PlaneRealisation egov = Planes.egov();
        PlaneRealisation unknownRouter = new PlaneRealisation("other", 300, List.of(egov.sites().get(0),
                new SiteBinding("x", Attachment.parse("r9/p1"), "2409:8000:9::/56", null, "fd00:0:9::a")), List.of());
        assertThatThrownBy(() -> odl.apply(unknownRouter)).isInstanceOfSatisfying(TianshuException.class, e -> {
            assertThat(e.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
            assertThat(e.field()).isEqualTo("sites[1].attachment");
            assertThat(e.getMessage()).contains("r9");
        });
        PlaneRealisation unknownPort = new PlaneRealisation("other", 300, List.of(
                new SiteBinding("x", Attachment.parse("r1/p7"), "2409:8000:9::/56", null, "fd00:0:1::a")), List.of());
        assertThatThrownBy(() -> odl.apply(unknownPort)).isInstanceOfSatisfying(TianshuException.class, e -> {
            assertThat(e.field()).isEqualTo("sites[0].attachment");
            assertThat(e.getMessage()).contains("r1/p7");
        });
        assertThat(odl.realised()).containsExactly(Planes.egov(), Planes.video());
    }

    @Test
    @Order(7)
    void removeLeavesNothing() {
        odl.remove("egov-office");
        assertThat(odl.realised()).containsExactly(Planes.video());
        odl.remove("video");
        odl.remove("video");
        odl.remove("never-applied");
        assertThat(odl.realised()).isEmpty();
        for (String r : EDGES) {
            for (int table : List.of(100, 200)) {
                awaitKernel(r, table, List.of());
            }
        }
    }

    @Test
    @Order(8)
    void aStoppedControllerGivesAClearError() {
        LabScripts.run("opendaylight.sh", "stop");
        assertThatThrownBy(() -> odl.topology()).isInstanceOfSatisfying(TianshuException.class, e -> {
            assertThat(e.kind()).isEqualTo(TianshuException.Kind.UPSTREAM);
            assertThat(e.getMessage()).contains("OpenDaylight controller at http://127.0.0.1:8888/restconf is unavailable");
        });
        assertThatThrownBy(() -> odl.apply(Planes.video())).isInstanceOf(TianshuException.class)
                .hasMessageContaining("unavailable");
    }

    @AfterAll
    static void cleanUp() {
        LabScripts.run("opendaylight.sh", "stop");
        EDGES.forEach(r -> sh("ip netns del " + NETNS_PREFIX + r));
    }

    /** Waits until the plane table of a router's namespace holds exactly these routes (see {@link #routes}). */
    private static void awaitKernel(String router, int table, List<String> expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<String> seen = routes(router, table);
        while (!(seen.size() == expected.size() && seen.containsAll(expected)) && System.nanoTime() < deadline) {
            sleep(200);
            seen = routes(router, table);
        }
        assertThat(seen).as("routes of table %d in %s%s", table, NETNS_PREFIX, router)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The routes the router agent installed in a table, one line each: prefix and what the kernel does with it. */
    private static List<String> routes(String router, int table) {
        List<String> out = new ArrayList<>();
        try {
            for (JsonNode r : JSON.readTree(sh("ip -n " + NETNS_PREFIX + router + " -6 -j route show table " + table
                    + " proto 99 2>/dev/null || echo '[]'"))) {
                String dst = r.path("dst").asText();
                if ("throw".equals(r.path("type").asText())) {
                    out.add("throw " + dst);
                } else if ("seg6".equals(r.path("encap").asText())) {
                    List<String> segs = new ArrayList<>();
                    r.path("segs").forEach(x -> segs.add(x.asText()));
                    out.add(dst + " segs " + segs + " metric " + r.path("metric").asLong());
                } else if ("seg6local".equals(r.path("encap").asText())) {
                    out.add(dst + " " + r.path("action").asText() + " table " + table);
                } else {
                    out.add(dst + " dev " + r.path("dev").asText());
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static String sh(String command) {
        try {
            Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(command + " failed: " + out);
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
