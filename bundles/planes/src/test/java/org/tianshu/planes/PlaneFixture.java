package org.tianshu.planes;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.tianshu.api.Caller;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Connectivity;
import org.tianshu.api.plane.Isolation;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.PlaneSite;
import org.tianshu.api.plane.Protection;
import org.tianshu.api.plane.AddressFamily;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.RouterRole;
import org.tianshu.api.plane.Slo;
import org.tianshu.api.plane.Topology;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.testing.InMemoryNetworkController;
import org.tianshu.persistence.Database;
import org.tianshu.quota.Departments;
import org.tianshu.slicing.PathEngine;

/**
 * A plane manager on a real database (in-memory H2, or the lab's PostgreSQL) with the real path engine and the
 * in-memory controller. The backbone: r1-r2-r4 (1 ms each) and r1-r3-r4 (2 ms each) in two ducts, cross link r2-r3;
 * every router has attachments p1 and p2.
 */
final class PlaneFixture implements AutoCloseable {
    static final Pools POOLS = Pools.of("fd10::/32", 40, 56, "10.128.0.0/12", 20, 24);

    final Database db;
    final InMemoryNetworkController controller;
    PathEngine engine;
    PlaneManager manager;

    PlaneFixture() {
        this(Database.open("jdbc:h2:mem:planes-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "sa", "", 5));
    }

    PlaneFixture(Database db) {
        this.db = db;
        this.controller = new InMemoryNetworkController("memory", topology(1000), attachments());
        new Departments(db.dataSource()).create(new Department("health", "省卫生健康委", null), Caller.SYSTEM);
        new Departments(db.dataSource()).create(new Department("emergency", "省应急管理厅", null), Caller.SYSTEM);
        restart();
    }

    /** A new path engine and manager on the same database and network, as after a restart of the runtime. */
    void restart() {
        engine = new PathEngine();
        manager = new PlaneManager(db.dataSource(), engine, controller, new Departments(db.dataSource()),
                new PlaneManager.Settings(POOLS, 1000, 1010));
        manager.start();
    }

    static Topology topology(long capacity) {
        List<Router> routers = List.of(router("r1", 1), router("r2", 2), router("r3", 3), router("r4", 4));
        List<Link> links = List.of(
                new Link("r1-r2", "r1", "r2", capacity, 1000, Set.of("duct-a"), true),
                new Link("r2-r4", "r2", "r4", capacity, 1000, Set.of("duct-a"), true),
                new Link("r1-r3", "r1", "r3", capacity, 2000, Set.of("duct-b"), true),
                new Link("r3-r4", "r3", "r4", capacity, 2000, Set.of("duct-b"), true),
                new Link("r2-r3", "r2", "r3", capacity, 500, Set.of("duct-c"), true));
        return new Topology(routers, links);
    }

    static Router router(String id, int n) {
        return new Router(id, RouterRole.AGGREGATION, "city" + n, "fd00:0:" + n + "::/48");
    }

    static List<Attachment> attachments() {
        return List.of(a("r1/p1"), a("r1/p2"), a("r2/p1"), a("r2/p2"), a("r3/p1"), a("r3/p2"), a("r4/p1"), a("r4/p2"));
    }

    static Attachment a(String s) {
        return Attachment.parse(s);
    }

    /** A hard-isolated any-to-any plane of {@code health} between r1/p1 and r4/p1 (and more sites). */
    static PlaneIntent plane(String name, long mbps, PlaneSite... more) {
        List<PlaneSite> sites = new java.util.ArrayList<>(List.of(new PlaneSite("hz", a("r1/p1")), new PlaneSite("nb", a("r4/p1"))));
        sites.addAll(List.of(more));
        return new PlaneIntent(name, List.of("health"), sites, Connectivity.ANY_TO_ANY, null, Isolation.HARD,
                new Slo(mbps, 0, 0), Protection.NONE, AddressFamily.DUAL_STACK);
    }

    @Override
    public void close() {
        db.close();
    }
}
