package org.tianshu.planes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tianshu.planes.PlaneFixture.a;
import static org.tianshu.planes.PlaneFixture.plane;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.AddressFamily;
import org.tianshu.api.plane.Connectivity;
import org.tianshu.api.plane.Isolation;
import org.tianshu.api.plane.Plane;
import org.tianshu.api.plane.PlaneChange;
import org.tianshu.api.plane.PlaneDiff;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.PlaneSite;
import org.tianshu.api.plane.PlaneState;
import org.tianshu.api.plane.Protection;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.Slo;
import org.tianshu.api.plane.SrPolicy;

class PlaneManagerTest {
    private final PlaneFixture f = new PlaneFixture();
    private static final Caller OP = Caller.SYSTEM;

    @AfterEach
    void close() {
        f.close();
    }

    private static TianshuException error(Runnable r) {
        try {
            r.run();
        } catch (TianshuException e) {
            return e;
        }
        throw new AssertionError("expected a TianshuException");
    }

    private void assertNothingHeld() {
        assertThat(f.engine.reservations()).isEmpty();
        assertThat(f.manager.list(OP)).isEmpty();
        assertThat(new PlaneStore(f.db.dataSource()).prefixes()).isEmpty();
        assertThat(f.controller.realised()).isEmpty();
    }

    @Test
    void applyPlansPrefixesSidsAndSegmentsReservesAndVerifies() {
        PlaneDiff diff = f.manager.apply(plane("egov", 300, new PlaneSite("sx", a("r3/p1"))), OP);
        assertThat(diff.exists()).isFalse();
        assertThat(diff.changes()).extracting(PlaneChange::toString).contains(
                "+ site hz: r1/p1", "+ prefix block ipv6: fd10::/40", "+ prefix hz ipv6: fd10::/56", "+ prefix nb ipv6: fd10:0:0:100::/56",
                "+ prefix block ipv4: 10.128.0.0/20", "+ prefix sx ipv4: 10.128.2.0/24", "+ path hz~nb: r1>r2>r4 2 ms, 300 Mbps");

        Plane p = f.manager.get("egov", OP);
        assertThat(p.state()).isEqualTo(PlaneState.VERIFIED);
        assertThat(p.table()).isEqualTo(1000);
        assertThat(p.ipv6Block()).isEqualTo("fd10::/40");
        assertThat(p.paths()).hasSize(3);
        PlaneRealisation r = f.controller.plane("egov");
        assertThat(r).isEqualTo(p.realisation());
        SiteBinding nb = r.sites().stream().filter(s -> s.site().equals("nb")).findFirst().orElseThrow();
        assertThat(nb.decapSid()).isEqualTo("fd00:0:4::d:3e8");
        assertThat(nb.ipv4Prefix()).isEqualTo("10.128.1.0/24");
        // hz -> nb over r1 r2 r4: steered through r2's End SID, then nb's decap SID; and the reverse direction
        SrPolicy there = policy(r, "hz", "nb");
        assertThat(there.segments()).containsExactly("fd00:0:2::1", "fd00:0:4::d:3e8");
        assertThat(policy(r, "nb", "hz").segments()).containsExactly("fd00:0:2::1", "fd00:0:1::d:3e8");
        assertThat(policy(r, "hz", "sx").segments()).containsExactly("fd00:0:2::1", "fd00:0:3::d:3e8");
        assertThat(r.policies()).hasSize(6);
        // one reservation per site pair: r1-r2 carries hz~nb and, as r1>r2>r3 is 1.5 ms < 2 ms, hz~sx too
        assertThat(f.engine.reservedMbps("r1-r2")).isEqualTo(600);
        assertThat(f.manager.status("egov", OP).realised()).isTrue();
    }

    private static SrPolicy policy(PlaneRealisation r, String from, String to) {
        return r.policies().stream().filter(p -> p.from().equals(from) && p.to().equals(to) && !p.backup()).findFirst().orElseThrow();
    }

    @Test
    void planIsADryRun() {
        PlaneDiff diff = f.manager.plan(plane("egov", 300), OP);
        assertThat(diff.changes()).isNotEmpty();
        assertThat(diff.planned().policies()).hasSize(2);
        assertNothingHeld();
    }

    @Test
    void aPlaneThatDoesNotFitIsRefusedNamingTheBottleneckAndNothingIsHeld() {
        f.manager.apply(plane("video", 800), OP);
        f.manager.apply(plane("cctv", 800), OP);
        TianshuException e = error(() -> f.manager.apply(plane("office", 300), OP));
        assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
        assertThat(e.field()).isEqualTo("bandwidthMbps");
        // video holds r1>r2>r4, cctv r1>r3>r4: every way out of r1 has 200 Mbps left
        assertThat(e.getMessage()).startsWith("office/hz~nb: bandwidth: link r1-r2 has 200 of 1000 Mbps free, 300 Mbps requested");
        assertThat(f.manager.list(OP)).extracting(Plane::name).containsExactly("cctv", "video");
        assertThat(f.engine.reservations()).hasSize(2);
        assertThat(new PlaneStore(f.db.dataSource()).prefixes()).noneMatch(p -> p.plane().equals("office"));
        assertThat(f.controller.plane("office")).isNull();
    }

    @Test
    void badInputIsInvalidNamingTheFieldAndNothingIsHeld() {
        assertThat(error(() -> f.manager.apply(plane("egov", 100, new PlaneSite("x", a("r9/p1"))), OP)).field())
                .isEqualTo("sites[2].attachment");
        PlaneIntent hub = new PlaneIntent("egov", List.of("health"), plane("egov", 1).sites(), Connectivity.HUB_AND_SPOKE, "nowhere",
                Isolation.SHARED_QOS, null, null, null);
        assertThat(error(() -> f.manager.apply(hub, OP)).field()).isEqualTo("hub");
        assertThat(error(() -> f.manager.apply(plane("egov", -5), OP)).field()).isEqualTo("slo.minBandwidthMbps");
        assertThat(error(() -> f.manager.apply(plane("egov", 0), OP)).field()).isEqualTo("slo.minBandwidthMbps");
        TianshuException dept = error(() -> f.manager.apply(new PlaneIntent("egov", List.of("nobody"), plane("egov", 1).sites(),
                null, null, null, null, null, null), OP));
        assertThat(dept.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
        assertThat(dept.field()).isEqualTo("departments[0]");
        TianshuException host = error(() -> f.manager.apply(plane("egov", 1, new PlaneSite("m", a("r2/p1"), "fd20::1/48", null)), OP));
        assertThat(host.field()).isEqualTo("sites[2].keepIpv6Prefix");
        assertThat(error(() -> f.manager.apply(plane("egov", 1), new Caller("x", Set.of("dept-health")))).kind())
                .isEqualTo(TianshuException.Kind.FORBIDDEN);
        assertNothingHeld();
    }

    @Test
    void keptPrefixesStayOutsideTheHierarchyAndMayNotOverlap() {
        f.manager.apply(plane("egov", 100, new PlaneSite("legacy", a("r2/p1"), "2409:8a00:12::/56", "172.20.5.0/24")), OP);
        Plane p = f.manager.get("egov", OP);
        SiteBinding legacy = p.realisation().sites().stream().filter(s -> s.site().equals("legacy")).findFirst().orElseThrow();
        assertThat(legacy.ipv6Prefix()).isEqualTo("2409:8a00:12::/56");
        assertThat(legacy.ipv4Prefix()).isEqualTo("172.20.5.0/24");
        // another plane's kept prefix inside it, or inside a planned block, is refused naming the field
        TianshuException e = error(() -> f.manager.apply(new PlaneIntent("video", List.of("health"), List.of(
                new PlaneSite("a", a("r1/p2")), new PlaneSite("b", a("r4/p2"), "2409:8a00:12:80::/57", null)), null, null, null, null, null, null),
                OP));
        assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
        assertThat(e.field()).isEqualTo("sites[1].keepIpv6Prefix");
        assertThat(e.getMessage()).contains("overlaps 2409:8a00:12::/56 of plane 'egov' site 'legacy'");
        TianshuException inBlock = error(() -> f.manager.apply(new PlaneIntent("video", List.of("health"), List.of(
                new PlaneSite("a", a("r1/p2")), new PlaneSite("b", a("r4/p2"), null, "10.128.1.0/25")), null, null, null, null, null, null),
                OP));
        assertThat(inBlock.field()).isEqualTo("sites[1].keepIpv4Prefix");
        assertThat(f.manager.list(OP)).hasSize(1);
    }

    @Test
    void aFailedPushIsCompensated() {
        f.controller.failNextApplies(1);
        TianshuException e = error(() -> f.manager.apply(plane("egov", 300), OP));
        assertThat(e.kind()).isEqualTo(TianshuException.Kind.UPSTREAM);
        assertNothingHeld();

        // an update whose push fails leaves the plane as it was
        f.manager.apply(plane("egov", 300), OP);
        Plane before = f.manager.get("egov", OP);
        f.controller.failNextApplies(1);
        error(() -> f.manager.apply(plane("egov", 400, new PlaneSite("sx", a("r3/p1"))), OP));
        Plane after = f.manager.get("egov", OP);
        assertThat(after.intent()).isEqualTo(before.intent());
        assertThat(after.realisation()).isEqualTo(before.realisation());
        assertThat(after.paths()).isEqualTo(before.paths());
        assertThat(after.message()).startsWith("apply failed and was undone");
        assertThat(f.engine.reservations()).extracting(r -> r.id() + "=" + r.request().bandwidthMbps()).containsExactly("egov/hz~nb=300");
        assertThat(new PlaneStore(f.db.dataSource()).prefixes()).noneMatch(p -> "sx".equals(p.site()));
        assertThat(f.controller.plane("egov")).isEqualTo(before.realisation());
    }

    @Test
    void bandwidthChangeReadmitsAndARefusedChangeLeavesThePlaneAsItWas() {
        f.manager.apply(plane("video", 500), OP);
        f.manager.apply(plane("egov", 400), OP);
        // 400 -> 500 fits only if its own 400 is counted free again (make-before-break)
        Plane grown = f.manager.changeBandwidth("egov", 500, OP);
        assertThat(grown.intent().slo().minBandwidthMbps()).isEqualTo(500);
        assertThat(grown.paths().get(0).request().bandwidthMbps()).isEqualTo(500);
        Plane before = f.manager.get("egov", OP);
        TianshuException e = error(() -> f.manager.changeBandwidth("egov", 1100, OP));
        assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
        assertThat(e.getMessage()).startsWith("egov/hz~nb: bandwidth: link");
        Plane after = f.manager.get("egov", OP);
        assertThat(after.intent()).isEqualTo(before.intent());
        assertThat(after.paths()).isEqualTo(before.paths());
        assertThat(f.engine.reservation("egov/hz~nb").orElseThrow().request().bandwidthMbps()).isEqualTo(500);
        assertThat(error(() -> f.manager.changeBandwidth("egov", -1, OP)).field()).isEqualTo("minBandwidthMbps");
        assertThat(error(() -> f.manager.changeBandwidth("nope", 1, OP)).kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
    }

    @Test
    void deleteReclaimsEverythingAndTheSpaceIsReused() {
        f.manager.apply(plane("egov", 300), OP);
        f.manager.apply(plane("video", 300).withBandwidth(100), OP);
        f.manager.delete("egov", OP);
        assertThat(f.controller.plane("egov")).isNull();
        assertThat(f.engine.reservations()).extracting(r -> r.id()).containsExactly("video/hz~nb");
        f.manager.apply(plane("office", 100), OP);
        Plane office = f.manager.get("office", OP);
        assertThat(office.ipv6Block()).isEqualTo("fd10::/40");
        assertThat(office.ipv4Block()).isEqualTo("10.128.0.0/20");
        assertThat(office.table()).isEqualTo(1000);
        assertThat(error(() -> f.manager.delete("egov", OP)).kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
    }

    @Test
    void anUpdateKeepsPrefixesOfRemainingSitesAndReleasesRemovedOnes() {
        f.manager.apply(plane("egov", 100, new PlaneSite("sx", a("r3/p1"))), OP);
        Plane before = f.manager.get("egov", OP);
        PlaneDiff diff = f.manager.apply(plane("egov", 100, new PlaneSite("wz", a("r2/p1"))), OP);
        assertThat(diff.changes()).extracting(PlaneChange::toString).contains("- site sx: r3/p1", "+ site wz: r2/p1",
                "- prefix sx ipv6: fd10:0:0:200::/56", "+ prefix wz ipv6: fd10:0:0:300::/56");
        Plane after = f.manager.get("egov", OP);
        assertThat(site(after, "hz").ipv6Prefix()).isEqualTo(site(before, "hz").ipv6Prefix());
        assertThat(after.table()).isEqualTo(before.table());
        assertThat(new PlaneStore(f.db.dataSource()).prefixes()).noneMatch(p -> "sx".equals(p.site()));
        // applying the same intent again changes nothing, but repairs a network that drifted
        int applies = f.controller.applies();
        assertThat(f.manager.apply(plane("egov", 100, new PlaneSite("wz", a("r2/p1"))), OP).empty()).isTrue();
        assertThat(f.controller.applies()).isEqualTo(applies);
        f.controller.remove("egov");
        assertThat(f.manager.status("egov", OP).drift()).containsExactly("plane egov is not in the network");
        assertThat(f.manager.apply(plane("egov", 100, new PlaneSite("wz", a("r2/p1"))), OP).empty()).isTrue();
        assertThat(f.controller.plane("egov")).isEqualTo(after.realisation());
        assertThat(f.manager.status("egov", OP).realised()).isTrue();
    }

    private static SiteBinding site(Plane p, String name) {
        return p.realisation().sites().stream().filter(s -> s.site().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void hubAndSpokeAndOnePlusOne() {
        PlaneIntent intent = new PlaneIntent("cmd", List.of("emergency"), List.of(new PlaneSite("hq", a("r1/p1")),
                new PlaneSite("a", a("r4/p1")), new PlaneSite("b", a("r3/p2"))), Connectivity.HUB_AND_SPOKE, "hq", Isolation.HARD,
                new Slo(100, 10, 0.1), Protection.ONE_PLUS_ONE_SRLG_DISJOINT, AddressFamily.IPV6_ONLY);
        f.manager.apply(intent, OP);
        Plane p = f.manager.get("cmd", OP);
        assertThat(p.paths()).extracting(x -> x.id()).containsExactly("cmd/hq~a", "cmd/hq~b");
        assertThat(p.ipv4Block()).isNull();
        assertThat(p.realisation().sites()).allMatch(s -> s.ipv4Prefix() == null);
        // a primary and an SRLG-disjoint backup per pair and direction; spokes never talk to each other
        assertThat(p.realisation().policies()).hasSize(8);
        assertThat(p.realisation().policies()).noneMatch(x -> Set.of(x.from(), x.to()).equals(Set.of("a", "b")));
        SrPolicy backup = p.realisation().policies().stream().filter(x -> x.backup() && x.from().equals("hq") && x.to().equals("a"))
                .findFirst().orElseThrow();
        assertThat(backup.path().routers()).containsExactly("r1", "r3", "r4");
        assertThat(backup.segments()).containsExactly("fd00:0:3::1", "fd00:0:4::d:3e8");
        // a department user sees its own planes only
        assertThat(f.manager.list(new Caller("u", Set.of("dept-emergency")))).hasSize(1);
        assertThat(f.manager.list(new Caller("u", Set.of("dept-health")))).isEmpty();
        assertThat(error(() -> f.manager.get("cmd", new Caller("u", Set.of("dept-health")))).kind())
                .isEqualTo(TianshuException.Kind.NOT_FOUND);
    }

    @Test
    void aRestartRestoresReservationsAndACrashedApplyIsCompensated() {
        f.manager.apply(plane("video", 500), OP);
        f.manager.apply(plane("egov", 300, new PlaneSite("sx", a("r3/p1"))), OP);
        long r1r2 = f.engine.reservedMbps("r1-r2");
        List<String> order = f.engine.reservations().stream().map(x -> x.id()).toList();
        f.restart();
        assertThat(f.engine.reservedMbps("r1-r2")).isEqualTo(r1r2);
        assertThat(f.engine.reservations().stream().map(x -> x.id()).toList()).isEqualTo(order);
        assertThat(f.manager.status("egov", OP).realised()).isTrue();

        // the runtime dies after pushing an update (an Error is not compensated in process)
        Plane before = f.manager.get("egov", OP);
        PlaneRealisation[] pushed = new PlaneRealisation[1];
        PlaneManager crashing = new PlaneManager(f.db.dataSource(), f.engine, new CrashAfterApply(f.controller, pushed),
                new org.tianshu.quota.Departments(f.db.dataSource()), new PlaneManager.Settings(PlaneFixture.POOLS, 1000, 1010));
        crashing.start();
        try {
            crashing.apply(plane("egov", 300, new PlaneSite("wz", a("r2/p2"))), OP);
            throw new AssertionError("expected the crash");
        } catch (CrashAfterApply.Crash expected) {
            // the process is gone
        }
        assertThat(f.controller.plane("egov")).isEqualTo(pushed[0]);
        assertThat(f.manager.get("egov", OP).state()).isEqualTo(PlaneState.RESERVED);
        f.restart();
        Plane after = f.manager.get("egov", OP);
        assertThat(after.state()).isEqualTo(PlaneState.VERIFIED);
        assertThat(after.intent()).isEqualTo(before.intent());
        assertThat(f.controller.plane("egov")).isEqualTo(before.realisation());
        assertThat(new PlaneStore(f.db.dataSource()).prefixes()).noneMatch(p -> "wz".equals(p.site()));
        assertThat(f.engine.reservedMbps("r1-r2")).isEqualTo(r1r2);

        // a creation interrupted the same way is removed from the network and the database
        crashing = new PlaneManager(f.db.dataSource(), f.engine, new CrashAfterApply(f.controller, pushed),
                new org.tianshu.quota.Departments(f.db.dataSource()), new PlaneManager.Settings(PlaneFixture.POOLS, 1000, 1010));
        crashing.start();
        try {
            crashing.apply(plane("office", 10), OP);
        } catch (CrashAfterApply.Crash expected) {
            // gone
        }
        assertThat(f.controller.plane("office")).isNotNull();
        f.restart();
        assertThat(f.controller.plane("office")).isNull();
        assertThat(f.manager.list(OP)).extracting(Plane::name).containsExactly("egov", "video");
        assertThat(f.engine.reservations()).noneMatch(x -> x.id().startsWith("office/"));
    }

    @Test
    void topologySyncReroutesAndPushesPlanesWhosePathsMoved() {
        f.manager.apply(plane("egov", 300), OP);
        assertThat(policy(f.controller.plane("egov"), "hz", "nb").segments()).containsExactly("fd00:0:2::1", "fd00:0:4::d:3e8");
        // r2-r4 is gone from the controller's topology
        var t = PlaneFixture.topology(1000);
        f.controller.topology(new org.tianshu.api.plane.Topology(t.routers(), t.links().stream()
                .filter(l -> !l.id().equals("r2-r4")).toList()));
        f.manager.syncTopology(OP);
        // now r1 r2 r3 r4 (3.5 ms) beats r1 r3 r4 (4 ms)
        assertThat(policy(f.controller.plane("egov"), "hz", "nb").segments())
                .containsExactly("fd00:0:2::1", "fd00:0:3::1", "fd00:0:4::d:3e8");
        assertThat(f.manager.get("egov", OP).state()).isEqualTo(PlaneState.VERIFIED);
        assertThat(f.manager.status("egov", OP).realised()).isTrue();
        // capacity shrinks below the reservation: the plane is degraded, naming why
        f.controller.topology(PlaneFixture.topology(100));
        f.manager.syncTopology(OP);
        Plane p = f.manager.get("egov", OP);
        assertThat(p.state()).isEqualTo(PlaneState.DEGRADED);
        assertThat(p.message()).contains("egov/hz~nb").contains("bandwidth");
        // and recovers when it is back
        f.controller.topology(PlaneFixture.topology(1000));
        f.manager.syncTopology(OP);
        assertThat(f.manager.get("egov", OP).state()).isEqualTo(PlaneState.VERIFIED);
        assertThat(f.engine.reservedMbps("r1-r2")).isEqualTo(300);
    }

    @Test
    void aLinkDownReroutesOnlyThePlanesCrossingItAndPushesThem() {
        f.manager.apply(plane("egov", 300), OP);
        f.manager.apply(new PlaneIntent("side", List.of("health"), List.of(new PlaneSite("a", a("r1/p2")), new PlaneSite("b", a("r3/p2"))),
                null, null, Isolation.HARD, new Slo(100, 0, 0), null, null), OP);
        PlaneRealisation side = f.controller.plane("side");
        int applies = f.controller.applies();
        var t = PlaneFixture.topology(1000);
        f.controller.topology(new org.tianshu.api.plane.Topology(t.routers(), t.links().stream()
                .map(l -> l.id().equals("r2-r4") ? l.withUp(false) : l).toList()));
        f.manager.syncTopology(OP);
        // egov (r1 r2 r4) moved and was pushed; side (r1 r2 r3) kept its path and was not pushed again
        assertThat(policy(f.controller.plane("egov"), "hz", "nb").path().links()).doesNotContain("r2-r4");
        assertThat(f.controller.plane("side")).isEqualTo(side);
        assertThat(f.controller.applies()).isEqualTo(applies + 1);
        assertThat(f.engine.reservedMbps("r2-r4")).isZero();
        assertThat(f.manager.get("egov", OP).paths().get(0).primary().links()).doesNotContain("r2-r4");
        // a restart keeps the re-routed paths as they are (no traffic moves), in admission order
        var held = f.engine.reservations();
        f.restart();
        assertThat(f.engine.reservations()).isEqualTo(held);
        assertThat(f.controller.applies()).isEqualTo(applies + 1);
        // back up: the link is usable again, paths stay where they are
        f.controller.topology(t);
        f.manager.syncTopology(OP);
        assertThat(f.engine.topology().links()).allMatch(org.tianshu.api.plane.Link::up);
        assertThat(f.controller.applies()).isEqualTo(applies + 1);
    }

    @Test
    void planeChangesArePublishedAsEvents() {
        List<org.tianshu.api.event.Event> events = new java.util.ArrayList<>();
        f.manager.publishTo(events::add);
        f.manager.apply(plane("egov", 300), OP);
        f.manager.apply(plane("egov", 300, new PlaneSite("sx", a("r3/p1"))), OP);
        f.manager.changeBandwidth("egov", 200, OP);
        var t = PlaneFixture.topology(1000);
        f.controller.topology(new org.tianshu.api.plane.Topology(t.routers(), t.links().stream()
                .map(l -> l.id().equals("r2-r4") ? l.withUp(false) : l).toList()));
        f.manager.syncTopology(OP);
        f.controller.topology(new org.tianshu.api.plane.Topology(t.routers(), t.links().stream()
                .map(l -> l.id().equals("r2-r4") || l.id().equals("r3-r4") ? l.withUp(false) : l).toList()));
        f.manager.syncTopology(OP);
        f.manager.delete("egov", OP);
        assertThat(events).extracting(e -> e.type() + " " + e.subject() + " " + e.attributes().get("change")).containsExactly(
                "PLANE_APPLIED plane/egov created", "PLANE_APPLIED plane/egov updated", "PLANE_APPLIED plane/egov bandwidth 200 Mbps",
                "PLANE_REROUTED plane/egov null", "PLANE_DEGRADED plane/egov null", "PLANE_DELETED plane/egov null");
        assertThat(events).allMatch(e -> e.departmentId().equals("health") && e.attributes().get("plane").equals("egov"));
        assertThat(events.get(3).attributes().get("reservations")).contains("egov/hz~nb");
        assertThat(events.get(4).attributes().get("reason")).contains("egov/hz~nb");
    }

    @Test
    void aOnePlusOnePairWithoutASecondDisjointPathKeepsOnePathUntilTheLinkIsBack() {
        // r1 has two links: with r1-r3 down, hz~nb cannot be protected again
        f.manager.apply(new PlaneIntent("cmd", List.of("health"), List.of(new PlaneSite("hz", a("r1/p1")), new PlaneSite("nb", a("r4/p1"))),
                null, null, Isolation.HARD, new Slo(100, 0, 0), Protection.ONE_PLUS_ONE_SRLG_DISJOINT, null), OP);
        assertThat(f.controller.plane("cmd").policies()).hasSize(4);
        var t = PlaneFixture.topology(1000);
        f.controller.topology(new org.tianshu.api.plane.Topology(t.routers(), t.links().stream()
                .map(l -> l.id().equals("r1-r3") ? l.withUp(false) : l).toList()));
        f.manager.syncTopology(OP);
        Plane p = f.manager.get("cmd", OP);
        assertThat(p.state()).isEqualTo(PlaneState.DEGRADED);
        assertThat(p.message()).startsWith("unprotected (one path, no disjoint second one): cmd/hz~nb: ");
        PlaneRealisation r = f.controller.plane("cmd");
        assertThat(r.policies()).hasSize(2).noneMatch(SrPolicy::backup);
        assertThat(policy(r, "hz", "nb").path().links()).doesNotContain("r1-r3");
        assertThat(f.engine.reservedMbps("r1-r3")).isZero();
        // the stored request stays 1+1: a restart and the link coming back protect the pair again
        f.restart();
        assertThat(f.manager.get("cmd", OP).state()).isEqualTo(PlaneState.DEGRADED);
        f.controller.topology(t);
        f.manager.syncTopology(OP);
        assertThat(f.manager.get("cmd", OP).state()).isEqualTo(PlaneState.VERIFIED);
        assertThat(f.controller.plane("cmd").policies()).hasSize(4);
        assertThat(f.engine.reservations()).hasSize(1).allMatch(a -> a.backup() != null);
    }
}
