package org.tianshu.adapter.opendaylight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
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
 * routers r1..r4 in a ring, mounted and seeded from lab/opendaylight/topology.json. The last test stops the lab. What
 * the router agents make of the planes in the kernel is {@link OpenDaylightChainIT}'s part.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenDaylightControllerIT {
    private static OpenDaylightController odl;

    @BeforeAll
    static void startController() {
        LabScripts.run("opendaylight.sh", "start");
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
    }
}
