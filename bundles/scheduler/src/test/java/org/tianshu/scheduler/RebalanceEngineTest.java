package org.tianshu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.scheduling.Move;
import org.tianshu.api.scheduling.RebalancePlan;
import org.tianshu.api.testing.InMemoryCloudDriver;
import org.tianshu.inventory.InventoryComponent;
import org.tianshu.persistence.Database;
import org.tianshu.quota.Departments;
import org.tianshu.quota.Quotas;

/** Plans made from the real inventory of an in-memory cloud, approved and executed as journalled moves. */
class RebalanceEngineTest {
    private static final Caller OPS = new Caller("ops", Set.of(Caller.OPERATOR));
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    Database db;
    InventoryComponent inventory;
    InMemoryCloudDriver openstack = new InMemoryCloudDriver(CloudKind.OPENSTACK);
    InMemoryCloudDriver.World world;
    SchedulerComponent scheduler;
    ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);
    RebalanceEngine engine;

    @BeforeEach
    void setUp() {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000", "sa", "", 10);
        inventory = new InventoryComponent(db.dataSource(), 0, 1);
        inventory.addDriver(openstack);
        inventory.putCredentials(new Credentials("lab", Map.of()), Caller.SYSTEM);
        world = openstack.world("http://cd:5000/v3");
        // h1 holds 15 of 16 cores: overloaded at the 90% threshold
        world.hosts.clear();
        world.hosts.add(host("h1", 15_000));
        world.hosts.add(host("h2", 8_000));
        world.hosts.add(host("h3", 1_000));
        vm("big", "h1", 7_000);
        vm("mid", "h1", 8_000, "req-mid");
        vm("w2", "h2", 8_000);
        vm("w3", "h3", 1_000);
        inventory.register(new Cloud("chengdu-os", null, CloudKind.OPENSTACK, "成都", null, 3, false, "http://cd:5000/v3", "lab",
                Map.of()), Caller.SYSTEM);
        Departments departments = new Departments(db.dataSource());
        Quotas quotas = new Quotas(db.dataSource(), departments, inventory);
        departments.create(new org.tianshu.api.tenancy.Department("health", "省卫生健康委", null), Caller.SYSTEM);
        // "mid" was provisioned through the scheduler before this start: its settled hold, kept in the database,
        // holds its place on h1 in anti-affinity group "api"
        new org.tianshu.persistence.Jdbc(db.dataSource()).update("INSERT INTO scheduler_reservation(id, department_id, hold,"
                + " settled, claims_json, quota_requests, anti_affinity_group, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                "req-mid", "health", true, true, "{\"chengdu-os/h1\":[8000,8000,5,0,1]}", "", "api", java.time.Instant.now());
        scheduler = new SchedulerComponent(db.dataSource(), inventory, inventory, departments, quotas, 0);
        engine = engine();
    }

    private RebalanceEngine engine() {
        return new RebalanceEngine(db.dataSource(), inventory, inventory, scheduler, executor,
                new RebalanceEngine.Settings(0.9, 20, Duration.ofMillis(20), Duration.ofSeconds(2)));
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
        scheduler.deactivate();
        inventory.deactivate();
        db.close();
    }

    private static Host host(String name, long allocatedCpu) {
        return new Host(null, name, "az1", new Resources(16_000, 65_536, 500, 0), new Resources(allocatedCpu, allocatedCpu, 10, 0),
                null, true);
    }

    private void vm(String name, String host, long cpu) {
        vm(name, host, cpu, null);
    }

    private void vm(String name, String host, long cpu, String requestId) {
        world.workloads.put("ext-" + name, new Workload(null, "ext-" + name, name, WorkloadKind.VM, "health", host,
                WorkloadState.ACTIVE, new Resources(cpu, cpu, 5, 0), requestId));
    }

    private RebalancePlan settled(String id) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        RebalancePlan p = engine.get(id, OPS);
        while (p.state() == RebalancePlan.State.EXECUTING && System.nanoTime() < end) {
            Thread.sleep(20);
            p = engine.get(id, OPS);
        }
        return p;
    }

    @Test
    void aPlanIsProposedApprovedAndExecutedMoveByMove() throws Exception {
        RebalancePlan p = engine.propose("chengdu-os", OPS);

        assertThat(p.state()).isEqualTo(RebalancePlan.State.PROPOSED);
        assertThat(p.proposedBy()).isEqualTo("ops");
        // the larger of h1's two VMs does not fit below 90% anywhere; the 8-core one fits on h3
        assertThat(p.moves()).extracting(Move::workload, Move::fromHost, Move::toHost, Move::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("mid", "h1", "h3", Move.State.PENDING));
        assertThat(p.relieved()).containsExactly("chengdu-os/h1");
        assertThat(p.summary()).contains("1 move(s) relieve 1 overloaded host(s)");
        assertThat(world.moves.get()).isZero();

        assertField(() -> engine.execute(p.id(), OPS), "id");
        assertThatThrownBy(() -> engine.approve(p.id(), new Caller("li", Set.of("dept-health"))))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.FORBIDDEN));
        assertThat(engine.approve(p.id(), OPS).approvedBy()).isEqualTo("ops");
        assertField(() -> engine.approve(p.id(), OPS), "id");
        world.movePolls = 3;
        assertThat(engine.execute(p.id(), OPS).state()).isEqualTo(RebalancePlan.State.EXECUTING);

        RebalancePlan done = settled(p.id());
        assertThat(done.state()).isEqualTo(RebalancePlan.State.DONE);
        // the scheduler's hold of the moved VM (its provisioning request) followed it to h3
        assertThat(scheduler.reservations(null, Caller.SYSTEM)).singleElement()
                .satisfies(res -> assertThat(res.hosts()).containsOnlyKeys("chengdu-os/h3"));
        assertThat(done.moves()).extracting(Move::state).containsExactly(Move.State.DONE);
        assertThat(world.workloads.get("ext-mid").host()).isEqualTo("h3");
        assertThat(world.moves.get()).isEqualTo(1);
        assertThat(engine.list(OPS)).extracting(RebalancePlan::id).containsExactly(p.id());
    }

    @Test
    void aRefusedMoveFailsThePlanWithTheCloudsReason() throws Exception {
        RebalancePlan p = engine.approve(engine.propose(null, OPS).id(), OPS);
        world.failMove = "nova: live migration is disabled";
        engine.execute(p.id(), OPS);

        RebalancePlan failed = settled(p.id());
        assertThat(failed.state()).isEqualTo(RebalancePlan.State.FAILED);
        assertThat(failed.moves().get(0).error()).as(failed.toString()).contains("live migration is disabled");
        assertThat(world.workloads.get("ext-mid").host()).isEqualTo("h1");
    }

    @Test
    void aPlanCutShortByAStopCarriesOnAtTheNextStart() throws Exception {
        RebalancePlan p = engine.approve(engine.propose("chengdu-os", OPS).id(), OPS);
        world.movePolls = Integer.MAX_VALUE;
        engine.execute(p.id(), OPS);
        long end = System.nanoTime() + WAIT.toNanos();
        while (engine.get(p.id(), OPS).moves().get(0).state() != Move.State.MOVING && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        executor.shutdownNow();

        world.movePolls = 1;
        executor = Executors.newScheduledThreadPool(1);
        engine = engine();
        assertThat(engine.recover()).isEqualTo(1);
        assertThat(settled(p.id()).state()).isEqualTo(RebalancePlan.State.DONE);
        assertThat(world.workloads.get("ext-mid").host()).isEqualTo("h3");
        assertThat(world.moves.get()).isEqualTo(1);
    }

    @Test
    void unknownCloudAndPlanAreNamed() {
        assertThatThrownBy(() -> engine.propose("lhasa-os", OPS)).isInstanceOfSatisfying(TianshuException.class,
                e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND));
        assertField(() -> engine.get("nope", OPS), "id");
        assertThat(engine.list(OPS)).isEmpty();
    }

    private static void assertField(Runnable r, String field) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
