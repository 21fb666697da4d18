package org.tianshu.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tianshu.integration.Eventually.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.RouterRole;
import org.tianshu.api.plane.SrPolicy;
import org.tianshu.api.plane.Topology;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.testing.InMemoryNetworkController;
import org.tianshu.events.EventBus;
import org.tianshu.persistence.Database;
import org.tianshu.planes.PlaneManager;
import org.tianshu.planes.Pools;
import org.tianshu.quota.Departments;
import org.tianshu.slicing.PathEngine;

/** The link-change route with the real plane manager: a link going down moves the planes off it and pushes them. */
class LinkChangeRouteTest {
    private static final Router R1 = new Router("r1", RouterRole.CORE, "chengdu", "fd00:0:1::/48");
    private static final Router R2 = new Router("r2", RouterRole.AGGREGATION, "mianyang", "fd00:0:2::/48");
    private static final Router R3 = new Router("r3", RouterRole.ACCESS, "mianyang", "fd00:0:3::/48");
    private static final Router R4 = new Router("r4", RouterRole.AGGREGATION, "zigong", "fd00:0:4::/48");

    @TempDir
    Path dir;

    private Database db;
    private EventBus bus;
    private CamelRuntime camel;
    private InMemoryNetworkController controller;
    private PlaneManager planes;
    private final PathEngine paths = new PathEngine();

    private static Topology ring(boolean shortSideUp) {
        return new Topology(List.of(R1, R2, R3, R4), List.of(
                new Link("r1-r2", "r1", "r2", 1000, 1000, Set.of("a"), shortSideUp),
                new Link("r2-r3", "r2", "r3", 1000, 1000, Set.of("b"), true),
                new Link("r1-r4", "r1", "r4", 1000, 3000, Set.of("c"), true),
                new Link("r4-r3", "r4", "r3", 1000, 3000, Set.of("d"), true)));
    }

    @BeforeEach
    void start() {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "", 4);
        Departments departments = new Departments(db.dataSource());
        departments.create(new Department("health", "省卫生健康委", null), Caller.SYSTEM);
        controller = new InMemoryNetworkController("memory", ring(true),
                List.of(Attachment.parse("r1/p1"), Attachment.parse("r3/p1")));
        planes = new PlaneManager(db.dataSource(), paths, controller, departments,
                new PlaneManager.Settings(Pools.of("fd10::/32", 40, 56, "10.128.0.0/12", 20, 24), 1000, 2000));
        planes.start();
        bus = new EventBus(1000);
        camel = new CamelRuntime("test", bus);
        bus.addListener(camel);
        camel.addRoutes(new LinkDownRoute(new LinkDownAction(() -> null, () -> planes)));
        planes.apply(planes.parse("""
                name: office
                departments: [health]
                connectivity: any-to-any
                isolation: hard
                slo: {minBandwidthMbps: 10, maxLatencyMs: 20, maxLossPercent: 1}
                protection: none
                addressFamily: ipv6-only
                sites:
                  - {name: a, attachment: r1/p1}
                  - {name: b, attachment: r3/p1}
                """), Caller.SYSTEM);
    }

    @AfterEach
    void stop() {
        bus.close();
        camel.close();
        db.close();
    }

    private List<List<String>> pushedLinks() {
        return controller.plane("office").policies().stream().map(SrPolicy::path).map(p -> p.links()).toList();
    }

    @Test
    void aLinkGoingDownMovesThePlanesOffItAndPushesThem() {
        assertThat(pushedLinks()).allSatisfy(links -> assertThat(links).contains("r1-r2"));
        int pushes = controller.applies();

        controller.topology(ring(false)); // the fibre is cut; the controller sees it
        bus.publish(Event.now(EventType.LINK_DOWN, "link/r1-r2", null, null, Map.of("link", "r1-r2")));

        await(() -> assertThat(pushedLinks()).isNotEmpty()
                .allSatisfy(links -> assertThat(links).containsExactlyInAnyOrder("r1-r4", "r4-r3")));
        assertThat(controller.applies()).isGreaterThan(pushes);

        controller.topology(ring(true));
        bus.publish(Event.now(EventType.LINK_UP, "link/r1-r2", null, null, Map.of("link", "r1-r2")));
        await(() -> assertThat(paths.topology().links()).filteredOn(l -> l.id().equals("r1-r2"))
                .singleElement().satisfies(l -> assertThat(l.up()).isTrue()));
    }
}
