package org.tianshu.provisioning;

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
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningState;
import org.tianshu.api.scheduling.CloudVerdict;
import org.tianshu.api.scheduling.Constraint;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.tenancy.Quota;
import org.tianshu.api.tenancy.QuotaResource;
import org.tianshu.api.testing.InMemoryCloudDriver;
import org.tianshu.inventory.InventoryComponent;
import org.tianshu.persistence.Database;
import org.tianshu.quota.Departments;
import org.tianshu.quota.Quotas;
import org.tianshu.scheduler.SchedulerComponent;

/** Requests without a target cloud go through the real scheduler; its hold and the quota pass to the saga. */
class ScheduledProvisioningTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final WorkloadSpec WEB = WorkloadSpec.vm("web", "health", "m1.small", "cirros", null);

    @TempDir
    Path dir;
    Database db;
    InventoryComponent inventory;
    InMemoryCloudDriver openstack = new InMemoryCloudDriver(CloudKind.OPENSTACK);
    InMemoryCloudDriver kubernetes = new InMemoryCloudDriver(CloudKind.KUBERNETES);
    Departments departments;
    Quotas quotas;
    SchedulerComponent scheduler;
    ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    ProvisioningEngine engine;

    @BeforeEach
    void setUp() {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000", "sa", "", 10);
        inventory = new InventoryComponent(db.dataSource(), 0, 1);
        inventory.addDriver(openstack);
        inventory.addDriver(kubernetes);
        inventory.putCredentials(new Credentials("lab", Map.of()), Caller.SYSTEM);
        // chengdu-os has one small host, mianyang-os two large ones: packing prefers the host in use, so the
        // tests pin the choice with allowed clouds where it matters
        openstack.world("http://cd:5000/v3").hosts.set(0, host("cd-1", 1000, 4096));
        openstack.world("http://cd:5000/v3").hosts.remove(1);
        register("chengdu-os", CloudKind.OPENSTACK, "成都", "http://cd:5000/v3");
        register("mianyang-os", CloudKind.OPENSTACK, "绵阳", "http://my:5000/v3");
        register("chengdu-k8s", CloudKind.KUBERNETES, "成都", "http://cd:6443");
        register("mianyang-k8s", CloudKind.KUBERNETES, "绵阳", "http://my:6443");
        departments = new Departments(db.dataSource());
        quotas = new Quotas(db.dataSource(), departments, inventory);
        departments.create(new Department("health", "省卫生健康委", null), Caller.SYSTEM);
        quotas.set("health", "*", QuotaResource.INSTANCES, 100, Caller.SYSTEM);
        scheduler = new SchedulerComponent(db.dataSource(), inventory, inventory, departments, quotas, 0);
        engine = new ProvisioningEngine(db.dataSource(), inventory, departments, quotas, executor,
                new ProvisioningEngine.Settings(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofMillis(50)),
                JournalListener.NONE, () -> scheduler);
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
        scheduler.deactivate();
        inventory.deactivate();
        db.close();
    }

    private void register(String id, CloudKind kind, String city, String endpoint) {
        inventory.register(new Cloud(id, null, kind, city, null, 3, false, endpoint, "lab", Map.of()), Caller.SYSTEM);
    }

    private static Host host(String name, long cpu, long mem) {
        return new Host(null, name, "az1", new Resources(cpu, mem, 500, 0), Resources.ZERO, null, true);
    }

    private static PlacementConstraints only(String... clouds) {
        return new PlacementConstraints(Set.of(clouds), 1, false, null, Set.of(), null, null, false, null);
    }

    private long used(QuotaResource r) {
        return quotas.list("health", Caller.SYSTEM).stream().filter(q -> q.resource() == r).mapToLong(Quota::used).sum();
    }

    @Test
    void theSchedulerChoosesTheCloudAndTheRecordExplainsIt() {
        quotas.set("health", "*", QuotaResource.CPU, 8000, Caller.SYSTEM);
        Provisioning p = engine.submit(null, WEB, null, Caller.SYSTEM);

        assertThat(p.state()).isEqualTo(ProvisioningState.RESERVED);
        assertThat(p.scheduled()).isTrue();
        assertThat(p.cloudId()).isIn("chengdu-os", "mianyang-os");
        // the quota is reserved once, by the saga, not also by the scheduler
        assertThat(used(QuotaResource.CPU)).isEqualTo(1000);
        assertThat(p.placement().clouds()).extracting(CloudVerdict::cloudId)
                .containsExactly("chengdu-k8s", "chengdu-os", "mianyang-k8s", "mianyang-os");
        assertThat(p.placement().clouds()).filteredOn(v -> v.cloudId().endsWith("k8s"))
                .allSatisfy(v -> assertThat(v.rejectedBy()).isEqualTo(Constraint.ALLOWED_CLOUDS));
        assertThat(p.placement().clouds()).filteredOn(v -> v.cloudId().equals(engine.get(p.id(), Caller.SYSTEM).cloudId()))
                .singleElement().satisfies(v -> assertThat(v.members()).isEqualTo(1));

        Provisioning done = engine.await(p.id(), WAIT, Caller.SYSTEM);
        assertThat(done.state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(done.placement()).isEqualTo(p.placement());
        // held until the inventory reports the workload, then settled (the inventory counts it) until deleted
        assertThat(scheduler.reservations("health", Caller.SYSTEM)).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(p.id());
            assertThat(r.hold()).isTrue();
            assertThat(r.settled()).isFalse();
            assertThat(r.hosts().values()).containsExactly(new Resources(1000, 2048, 20, 0));
        });
        inventory.sync(done.cloudId());
        scheduler.refreshNow();
        assertThat(scheduler.reservations("health", Caller.SYSTEM)).singleElement()
                .satisfies(r -> assertThat(r.settled()).isTrue());
        assertThat(used(QuotaResource.CPU)).isEqualTo(1000);

        engine.delete(p.id(), Caller.SYSTEM);
        assertThat(engine.await(p.id(), WAIT, Caller.SYSTEM).state()).isEqualTo(ProvisioningState.DELETED);
        assertThat(scheduler.reservations("health", Caller.SYSTEM)).isEmpty();
        assertThat(used(QuotaResource.CPU)).isZero();
    }

    @Test
    void theHoldKeepsTheHostUntilTheSagaCompensatesThenGivesItBack() {
        InMemoryCloudDriver.World cd = openstack.world("http://cd:5000/v3");
        cd.buildPolls = Integer.MAX_VALUE;
        Provisioning first = engine.submit(WEB, only("chengdu-os"), null, null, Caller.SYSTEM);
        assertThat(first.cloudId()).isEqualTo("chengdu-os");

        // the only host's 1000m are held: a second VM cannot go there while the first is being created
        assertThatThrownBy(() -> engine.submit(WorkloadSpec.vm("web-2", "health", "m1.small", "cirros", null),
                only("chengdu-os"), null, null, Caller.SYSTEM)).isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
                    assertThat(e.field()).isEqualTo("placement");
                    assertThat(e.getMessage()).contains("no capacity").contains("cpu");
                });
        assertThat(engine.list(null, Caller.SYSTEM)).hasSize(1);
        assertThat(used(QuotaResource.INSTANCES)).isEqualTo(1);

        // the first times out and compensates: quota and hold are given back, so the host takes another VM
        assertThat(engine.await(first.id(), WAIT, Caller.SYSTEM).state()).isEqualTo(ProvisioningState.FAILED);
        assertThat(used(QuotaResource.INSTANCES)).isZero();
        cd.buildPolls = 1;
        Provisioning second = engine.submit(WorkloadSpec.vm("web-2", "health", "m1.small", "cirros", null),
                only("chengdu-os"), null, null, Caller.SYSTEM);
        assertThat(engine.await(second.id(), WAIT, Caller.SYSTEM).state()).isEqualTo(ProvisioningState.ACTIVE);
    }

    @Test
    void aRestartKeepsTheHoldAndTheSagaCarriesOnOrGivesItBack() throws Exception {
        InMemoryCloudDriver.World cd = openstack.world("http://cd:5000/v3");
        cd.failCreate = "nova: No valid host was found";
        // stopped before its first step: journalled RESERVED with its hold and quota, nothing asked of the cloud
        executor.shutdownNow();
        executor = Executors.newScheduledThreadPool(2);
        ScheduledExecutorService stopped = Executors.newScheduledThreadPool(1);
        stopped.shutdownNow();
        ProvisioningEngine before = new ProvisioningEngine(db.dataSource(), inventory, departments, quotas, stopped,
                new ProvisioningEngine.Settings(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofMillis(50)),
                JournalListener.NONE, () -> scheduler);
        Provisioning p;
        try {
            p = before.submit(WEB, only("chengdu-os"), null, null, Caller.SYSTEM);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            p = before.list("health", Caller.SYSTEM).get(0);
        }
        String id = p.id();
        assertThat(p.state()).isEqualTo(ProvisioningState.RESERVED);
        scheduler.deactivate();

        // the next start: the scheduler takes the hold back from the database, so the host stays taken
        scheduler = new SchedulerComponent(db.dataSource(), inventory, inventory, departments, quotas, 0);
        assertThat(scheduler.reservations("health", Caller.SYSTEM)).extracting(r -> r.id()).containsExactly(id);
        assertThatThrownBy(() -> engine.submit(WorkloadSpec.vm("web-2", "health", "m1.small", "cirros", null),
                only("chengdu-os"), null, null, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("placement"));
        ProvisioningEngine after = new ProvisioningEngine(db.dataSource(), inventory, departments, quotas, executor,
                new ProvisioningEngine.Settings(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofMillis(50)),
                JournalListener.NONE, () -> scheduler);
        assertThat(after.recover()).isEqualTo(1);
        // the cloud refuses: the saga compensates and gives back the quota and the kept hold
        assertThat(after.await(id, WAIT, Caller.SYSTEM).state()).isEqualTo(ProvisioningState.FAILED);
        assertThat(scheduler.reservations("health", Caller.SYSTEM)).isEmpty();
        assertThat(used(QuotaResource.INSTANCES)).isZero();
        cd.failCreate = null;
        assertThat(after.submit(WorkloadSpec.vm("web-2", "health", "m1.small", "cirros", null), only("chengdu-os"), null,
                null, Caller.SYSTEM).cloudId()).isEqualTo("chengdu-os");
    }

    @Test
    void aQuotaRefusalReservesNothingAndReleasesTheHold() {
        quotas.set("health", "chengdu-os", QuotaResource.CPU, 500, Caller.SYSTEM);
        assertThatThrownBy(() -> engine.submit(WEB, only("chengdu-os"), null, null, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("cpu"));
        assertThat(engine.list(null, Caller.SYSTEM)).isEmpty();
        assertThat(used(QuotaResource.CPU)).isZero();

        quotas.set("health", "chengdu-os", QuotaResource.CPU, 1000, Caller.SYSTEM);
        Provisioning p = engine.submit(WEB, only("chengdu-os"), null, null, Caller.SYSTEM);
        assertThat(p.cloudId()).isEqualTo("chengdu-os");
    }

    @Test
    void theIdempotencyKeyGivesTheFirstRequestWithOneHoldAndOneQuotaReservation() {
        Provisioning a = engine.submit(WEB, only("chengdu-os"), null, "key-1", Caller.SYSTEM);
        Provisioning b = engine.submit(WEB, only("chengdu-os"), null, "key-1", Caller.SYSTEM);
        assertThat(b.id()).isEqualTo(a.id());
        assertThat(used(QuotaResource.INSTANCES)).isEqualTo(1);
        assertThatThrownBy(() -> engine.submit(WorkloadSpec.vm("other", "health", "m1.small", "cirros", null),
                null, null, "key-1", Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("idempotencyKey"));
        // naming the cloud it went to is the same request; naming another is not
        assertThat(engine.submit("chengdu-os", WEB, "key-1", Caller.SYSTEM).id()).isEqualTo(a.id());
        assertThatThrownBy(() -> engine.submit("mianyang-os", WEB, "key-1", Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("idempotencyKey"));
        engine.await(a.id(), WAIT, Caller.SYSTEM);
        assertThat(openstack.world("http://cd:5000/v3").creates.get()).isEqualTo(1);
    }

    @Test
    void theReplicasOfAContainerWorkloadStayInOneCloud() {
        // 10 cores per replica: each 16-core node takes one, so a cluster of two nodes takes two replicas
        Provisioning two = engine.submit(null, WorkloadSpec.container("api", "health", "nginx", 2, 10_000, 1024, 0, "deployment"),
                null, Caller.SYSTEM);
        assertThat(two.cloudId()).isIn("chengdu-k8s", "mianyang-k8s");
        assertThat(two.demand()).isEqualTo(new Resources(20_000, 2048, 0, 0));
        assertThat(used(QuotaResource.INSTANCES)).isEqualTo(1);

        assertThatThrownBy(() -> engine.submit(null, WorkloadSpec.container("big", "health", "nginx", 3, 10_000, 1024, 0,
                "deployment"), null, Caller.SYSTEM)).isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.field()).isEqualTo("placement");
                    assertThat(e.getMessage()).contains("3");
                });
        assertThat(engine.list(null, Caller.SYSTEM)).hasSize(1);
    }

    @Test
    void badInputNamesTheFieldAndReservesNothing() {
        assertField(() -> engine.submit(WEB, only("nowhere"), null, null, Caller.SYSTEM), "constraints.allowedClouds");
        assertField(() -> engine.submit(WEB, only("chengdu-k8s"), null, null, Caller.SYSTEM), "constraints.allowedClouds");
        assertField(() -> engine.submit(null, WorkloadSpec.vm("web", "health", "m9.huge", "cirros", null), null,
                Caller.SYSTEM), "flavor");
        assertField(() -> engine.submit(WEB, new PlacementConstraints(Set.of(), 1, false, "lhasa", Set.of(), null, null,
                false, null), null, null, Caller.SYSTEM), "constraints.residency");
        assertField(() -> engine.submit(WEB, new PlacementConstraints(Set.of(), 1, false, null, Set.of("az9"), null, null,
                false, null), null, null, Caller.SYSTEM), "constraints.zones");
        ProvisioningEngine unscheduled = new ProvisioningEngine(db.dataSource(), inventory, departments, quotas, executor,
                new ProvisioningEngine.Settings(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofMillis(50)),
                JournalListener.NONE);
        assertField(() -> unscheduled.submit(null, WEB, null, Caller.SYSTEM), "cloud");
        assertThat(engine.list(null, Caller.SYSTEM)).isEmpty();
        assertThat(used(QuotaResource.INSTANCES)).isZero();
        // nothing is held either: the one small host still takes a VM
        assertThat(engine.submit(WEB, only("chengdu-os"), null, null, Caller.SYSTEM).cloudId()).isEqualTo("chengdu-os");
    }

    private static void assertField(Runnable r, String field) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo(field));
    }


    @Test
    void theWorkloadIsCreatedOnTheHostTheSchedulerHolds() {
        // host-1 of mianyang-os is down: the scheduler holds host-2, where the driver would not have put it by itself
        InMemoryCloudDriver.World my = openstack.world("http://my:5000/v3");
        Host h1 = my.hosts.get(0);
        my.hosts.set(0, new Host(null, h1.name(), h1.zone(), h1.capacity(), h1.allocated(), null, false));
        inventory.sync("mianyang-os");
        scheduler.refreshNow();

        Provisioning p = engine.submit(WEB, only("mianyang-os"), null, null, Caller.SYSTEM);
        assertThat(scheduler.reservations("health", Caller.SYSTEM)).singleElement()
                .satisfies(r -> assertThat(r.hosts()).containsOnlyKeys("mianyang-os/host-2"));
        Provisioning done = engine.await(p.id(), WAIT, Caller.SYSTEM);
        assertThat(done.state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(my.createdOn.get(done.externalId())).containsExactly("host-2");
        assertThat(my.workloads.get(done.externalId()).host()).isEqualTo("host-2");
    }

    @Test
    void aRequestNamingItsCloudLeavesTheHostToTheCloud() {
        Provisioning p = engine.submit("mianyang-os", WEB, null, Caller.SYSTEM);
        Provisioning done = engine.await(p.id(), WAIT, Caller.SYSTEM);
        assertThat(done.state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(openstack.world("http://my:5000/v3").createdOn.get(done.externalId())).isEmpty();
    }

    /** Journal writes as the listener hears them: state and cloud. */
    private final java.util.List<String> journal = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ProvisioningEngine engine(int otherClouds) {
        return new ProvisioningEngine(db.dataSource(), inventory, departments, quotas, executor,
                new ProvisioningEngine.Settings(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofMillis(50), otherClouds),
                p -> journal.add(p.state() + " " + p.cloudId()), () -> scheduler);
    }

    private InMemoryCloudDriver.World world(String cloudId) {
        return openstack.world(cloudId.equals("chengdu-os") ? "http://cd:5000/v3" : "http://my:5000/v3");
    }

    /** The cloud the scheduler would choose first for {@link #WEB} among {@code clouds}. */
    private String firstChoice(String... clouds) {
        return scheduler.place(new org.tianshu.api.scheduling.PlacementRequest("health", new Resources(1000, 2048, 20, 0), 1,
                only(clouds), null, false), true, Caller.SYSTEM).decision().get(0).cloudId();
    }

    @Test
    void aCloudThatRefusesForCapacityHandsTheRequestToTheNextBestCloud() {
        engine = engine(1);
        String first = firstChoice("chengdu-os", "mianyang-os");
        String second = first.equals("chengdu-os") ? "mianyang-os" : "chengdu-os";
        InMemoryCloudDriver.World refusing = world(first);
        refusing.refuseCreate = "Quota exceeded for instances: Requested 1, but already used 0 of 0 instances";

        Provisioning p = engine.submit(WEB, only("chengdu-os", "mianyang-os"), null, null, Caller.SYSTEM);
        assertThat(p.cloudId()).isEqualTo(first);
        Provisioning done = engine.await(p.id(), WAIT, Caller.SYSTEM);

        assertThat(done.state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(done.cloudId()).isEqualTo(second);
        assertThat(done.error()).isNull();
        assertThat(refusing.creates.get()).isZero();
        assertThat(world(second).workloads).containsKey(done.externalId());
        // the explanation records the refusal; the hold and the quota moved with the request, once
        assertThat(done.placement().clouds()).filteredOn(v -> v.cloudId().equals(first)).singleElement()
                .satisfies(v -> {
                    assertThat(v.rejectedBy()).isEqualTo(Constraint.CLOUD_REFUSED);
                    assertThat(v.reason()).contains("Quota exceeded for instances");
                });
        assertThat(done.placement().clouds()).filteredOn(v -> v.cloudId().equals(second)).singleElement()
                .satisfies(v -> assertThat(v.members()).isEqualTo(1));
        assertThat(done.placement().summary()).contains("after cloud " + first + " refused");
        assertThat(scheduler.reservations("health", Caller.SYSTEM)).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(p.id());
            assertThat(r.hosts()).hasSize(1).allSatisfy((k, v) -> assertThat(k).startsWith(second + "/"));
        });
        assertThat(used(QuotaResource.INSTANCES)).isEqualTo(1);
        assertThat(new org.tianshu.persistence.Jdbc(db.dataSource()).query("SELECT cloud_id FROM reservation WHERE request_id = ?",
                rs -> rs.getString(1), p.id())).containsExactly(second);
        // the journal tells which cloud was tried: CREATING on the first, then CREATING on the second
        assertThat(journal).containsSubsequence("RESERVED " + first, "CREATING " + first, "CREATING " + second,
                "ACTIVE " + second);

        engine.delete(p.id(), Caller.SYSTEM);
        assertThat(engine.await(p.id(), WAIT, Caller.SYSTEM).state()).isEqualTo(ProvisioningState.DELETED);
        assertThat(scheduler.reservations("health", Caller.SYSTEM)).isEmpty();
        assertThat(used(QuotaResource.INSTANCES)).isZero();
    }

    @Test
    void aCloudThatGivesUpTheWorkloadForCapacityHandsTheRequestToTheNextBestCloud() {
        engine = engine(1);
        String first = firstChoice("chengdu-os", "mianyang-os");
        String second = first.equals("chengdu-os") ? "mianyang-os" : "chengdu-os";
        // accepted, then in ERROR: Nova's scheduler found no host after all
        world(first).refuseBuild = "No valid host was found. There are not enough hosts available.";

        Provisioning p = engine.submit(WEB, only("chengdu-os", "mianyang-os"), null, null, Caller.SYSTEM);
        Provisioning done = engine.await(p.id(), WAIT, Caller.SYSTEM);

        assertThat(done.state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(done.cloudId()).isEqualTo(second);
        assertThat(world(second).workloads).containsKey(done.externalId());
        // the failed workload was removed from the first cloud before the request moved on
        assertThat(world(first).creates.get()).isEqualTo(1);
        assertThat(world(first).workloads).isEmpty();
        assertThat(done.placement().clouds()).filteredOn(v -> v.cloudId().equals(first)).singleElement().satisfies(v -> {
            assertThat(v.rejectedBy()).isEqualTo(Constraint.CLOUD_REFUSED);
            assertThat(v.reason()).contains("No valid host");
        });
        assertThat(journal).containsSubsequence("CREATING " + first, "CREATING " + second, "ACTIVE " + second);
        assertThat(scheduler.reservations("health", Caller.SYSTEM)).singleElement()
                .satisfies(r -> assertThat(r.hosts()).allSatisfy((k, v) -> assertThat(k).startsWith(second + "/")));
        assertThat(new org.tianshu.persistence.Jdbc(db.dataSource()).query("SELECT cloud_id FROM reservation WHERE request_id = ?",
                rs -> rs.getString(1), p.id())).containsExactly(second);

        // a failure that is not for capacity is compensated as before
        world(first).refuseBuild = null;
        world(first).failBuild = true;
        Provisioning failed = engine.await(engine.submit(WEB, only(first), null, null, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
        assertThat(failed.state()).isEqualTo(ProvisioningState.FAILED);
        assertThat(failed.cloudId()).isEqualTo(first);
        assertThat(failed.placement().clouds()).noneMatch(v -> v.rejectedBy() == Constraint.CLOUD_REFUSED);
    }

    @Test
    void aStopBetweenTheRecordedRefusalAndTheMoveIsCarriedOnAtTheNextStart() {
        String first = firstChoice("chengdu-os", "mianyang-os");
        String second = first.equals("chengdu-os") ? "mianyang-os" : "chengdu-os";
        world(first).refuseBuild = "No valid host was found.";
        // an engine whose executor is stopped: the test runs its steps one by one, then it "stops"
        ScheduledExecutorService stopped = Executors.newScheduledThreadPool(1);
        stopped.shutdownNow();
        ProvisioningEngine before = new ProvisioningEngine(db.dataSource(), inventory, departments, quotas, stopped,
                new ProvisioningEngine.Settings(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofMillis(50), 1),
                JournalListener.NONE, () -> scheduler);
        String id;
        try {
            id = before.submit(WEB, only("chengdu-os", "mianyang-os"), null, null, Caller.SYSTEM).id();
        } catch (java.util.concurrent.RejectedExecutionException e) {
            id = before.list("health", Caller.SYSTEM).get(0).id();
        }
        before.step(id); // RESERVED -> CREATING
        before.step(id); // created in the first cloud, building
        before.step(id); // ERROR for lack of capacity: refusal journalled, failed workload removed; then the stop
        Provisioning cut = before.get(id, Caller.SYSTEM);
        assertThat(cut.state()).isEqualTo(ProvisioningState.CREATING);
        assertThat(cut.cloudId()).isEqualTo(first);
        assertThat(cut.externalId()).isNotNull();
        assertThat(cut.placement().clouds()).filteredOn(v -> v.rejectedBy() == Constraint.CLOUD_REFUSED)
                .extracting(CloudVerdict::cloudId).containsExactly(first);
        assertThat(world(first).workloads).isEmpty();

        // the next start: the saga moves the request on and creates it in the second cloud
        scheduler.deactivate();
        scheduler = new SchedulerComponent(db.dataSource(), inventory, inventory, departments, quotas, 0);
        ProvisioningEngine after = engine(1);
        assertThat(after.recover()).isEqualTo(1);
        Provisioning done = after.await(id, WAIT, Caller.SYSTEM);
        assertThat(done.state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(done.cloudId()).isEqualTo(second);
        assertThat(world(second).workloads).containsKey(done.externalId());
        assertThat(world(first).creates.get()).isEqualTo(1);
        assertThat(scheduler.reservations("health", Caller.SYSTEM)).singleElement()
                .satisfies(r -> assertThat(r.hosts()).allSatisfy((k, v) -> assertThat(k).startsWith(second + "/")));
        assertThat(used(QuotaResource.INSTANCES)).isEqualTo(1);
    }

    @Test
    void aRefusalWithNoOtherCloudLeftFailsTheRequestAndGivesEverythingBack() {
        engine = engine(1);
        openstack.world("http://cd:5000/v3").refuseCreate = "Quota exceeded for cores";
        Provisioning alone = engine.await(engine.submit(WEB, only("chengdu-os"), null, null, Caller.SYSTEM).id(), WAIT,
                Caller.SYSTEM);
        assertThat(alone.state()).isEqualTo(ProvisioningState.FAILED);
        assertThat(alone.error()).contains("Quota exceeded for cores");
        assertThat(scheduler.reservations("health", Caller.SYSTEM)).isEmpty();
        assertThat(used(QuotaResource.INSTANCES)).isZero();

        // both refuse: the second refusal ends it, as one other cloud is all the settings allow
        String first = firstChoice("chengdu-os", "mianyang-os");
        String second = first.equals("chengdu-os") ? "mianyang-os" : "chengdu-os";
        world(first).refuseCreate = "Quota exceeded for cores";
        world(second).refuseCreate = "Quota exceeded for instances";
        Provisioning both = engine.await(engine.submit(WEB, only("chengdu-os", "mianyang-os"), null, null, Caller.SYSTEM).id(),
                WAIT, Caller.SYSTEM);
        assertThat(both.state()).isEqualTo(ProvisioningState.FAILED);
        assertThat(both.cloudId()).isEqualTo(second);
        assertThat(both.error()).contains("Quota exceeded for instances");
        assertThat(both.placement().clouds()).filteredOn(v -> v.rejectedBy() == Constraint.CLOUD_REFUSED)
                .extracting(CloudVerdict::cloudId).containsExactly(first);
        assertThat(scheduler.reservations("health", Caller.SYSTEM)).isEmpty();
        assertThat(used(QuotaResource.INSTANCES)).isZero();

        // no other cloud allowed by the settings: the first refusal ends it
        engine = engine(0);
        world(second).refuseCreate = null;
        Provisioning none = engine.await(engine.submit(WEB, only("chengdu-os", "mianyang-os"), null, null, Caller.SYSTEM).id(),
                WAIT, Caller.SYSTEM);
        assertThat(none.state()).isEqualTo(ProvisioningState.FAILED);
        assertThat(none.cloudId()).isEqualTo(first);
        assertThat(none.error()).contains("Quota exceeded for cores");
        assertThat(world(second).workloads).isEmpty();
    }
}
