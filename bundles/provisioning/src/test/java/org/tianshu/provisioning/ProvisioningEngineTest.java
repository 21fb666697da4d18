package org.tianshu.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningState;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.tenancy.Quota;
import org.tianshu.api.tenancy.QuotaResource;
import org.tianshu.api.testing.InMemoryCloudDriver;
import org.tianshu.inventory.InventoryComponent;
import org.tianshu.persistence.Database;
import org.tianshu.quota.Departments;
import org.tianshu.quota.Quotas;

class ProvisioningEngineTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final WorkloadSpec WEB = WorkloadSpec.vm("web", "health", "m1.small", "cirros", null);

    @TempDir
    Path dir;
    Database db;
    InventoryComponent inventory;
    InMemoryCloudDriver openstack = new InMemoryCloudDriver(CloudKind.OPENSTACK);
    InMemoryCloudDriver.World world;
    Departments departments;
    Quotas quotas;
    ScheduledExecutorService executor;
    ProvisioningEngine engine;

    @BeforeEach
    void setUp() {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000", "sa", "", 10);
        inventory = new InventoryComponent(db.dataSource(), 0, 1);
        inventory.addDriver(openstack);
        inventory.addDriver(new InMemoryCloudDriver(CloudKind.KUBERNETES));
        inventory.putCredentials(new Credentials("lab", Map.of()), Caller.SYSTEM);
        inventory.register(new Cloud("chengdu-os", null, CloudKind.OPENSTACK, "成都", "RegionOne", 3, false,
                "http://os:5000/v3", "lab", Map.of()), Caller.SYSTEM);
        inventory.register(new Cloud("chengdu-k8s", null, CloudKind.KUBERNETES, "成都", null, 3, false,
                "http://k8s:6443", "lab", Map.of()), Caller.SYSTEM);
        world = openstack.world("http://os:5000/v3");
        departments = new Departments(db.dataSource());
        quotas = new Quotas(db.dataSource(), departments, inventory);
        departments.create(new Department("health", "省卫生健康委", null), Caller.SYSTEM);
        departments.create(new Department("finance", "省财政厅", null), Caller.SYSTEM);
        engine = engine(JournalListener.NONE);
    }

    ProvisioningEngine engine(JournalListener listener) {
        executor = Executors.newScheduledThreadPool(2);
        return new ProvisioningEngine(db.dataSource(), inventory, departments, quotas, executor,
                new ProvisioningEngine.Settings(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofMillis(50)), listener);
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
        inventory.deactivate();
        db.close();
    }

    long used(QuotaResource r) {
        return quotas.list("health", Caller.SYSTEM).stream().filter(q -> q.resource() == r).mapToLong(Quota::used).sum();
    }

    @Test
    void vmBecomesActiveHoldsQuotaAndIsDeletedCleanly() {
        quotas.set("health", "*", QuotaResource.CPU, 4000, Caller.SYSTEM);
        Provisioning p = engine.submit("chengdu-os", WEB, null, Caller.SYSTEM);
        assertThat(p.state()).isEqualTo(ProvisioningState.RESERVED);
        assertThat(used(QuotaResource.CPU)).isEqualTo(1000);
        p = engine.await(p.id(), WAIT, Caller.SYSTEM);
        assertThat(p.state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(world.workloads).containsKey(p.externalId());
        assertThat(world.workloads.get(p.externalId()).requestId()).isEqualTo(p.id());

        engine.delete(p.id(), Caller.SYSTEM);
        p = engine.await(p.id(), WAIT, Caller.SYSTEM);
        assertThat(p.state()).isEqualTo(ProvisioningState.DELETED);
        assertThat(world.workloads).isEmpty();
        assertThat(used(QuotaResource.CPU)).isZero();
    }

    @Test
    void failedCreateCompensatesAndReleasesQuota() {
        quotas.set("health", "*", QuotaResource.INSTANCES, 5, Caller.SYSTEM);
        world.failCreate = "nova: No valid host was found";
        Provisioning p = engine.await(engine.submit("chengdu-os", WEB, null, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
        assertThat(p.state()).isEqualTo(ProvisioningState.FAILED);
        assertThat(p.error()).contains("No valid host");
        assertThat(used(QuotaResource.INSTANCES)).isZero();
        assertThat(world.workloads).isEmpty();
    }

    @Test
    void workloadThatErrorsOrNeverActivatesIsRemovedFromTheCloud() {
        world.failBuild = true;
        Provisioning p = engine.await(engine.submit("chengdu-os", WEB, null, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
        assertThat(p.state()).isEqualTo(ProvisioningState.FAILED);
        assertThat(p.error()).contains("error");
        assertThat(world.workloads).isEmpty();
        assertThat(world.deletes.get()).isEqualTo(1);

        world.failBuild = false;
        world.buildPolls = Integer.MAX_VALUE;
        p = engine.await(engine.submit("chengdu-os", WorkloadSpec.vm("slow", "health", "m1.small", "cirros", null), null,
                Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
        assertThat(p.state()).isEqualTo(ProvisioningState.FAILED);
        assertThat(p.error()).contains("not active after 2 s");
        assertThat(world.workloads).isEmpty();
    }

    @Test
    void deleteAnswersTheDeletingRecordEvenWhenTheSagaFinishesAtOnce() {
        executor.shutdownNow();
        executor = new InlineExecutor();
        ProvisioningEngine inline = new ProvisioningEngine(db.dataSource(), inventory, departments, quotas, executor,
                new ProvisioningEngine.Settings(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofMillis(50)),
                JournalListener.NONE);
        Provisioning p = inline.await(inline.submit("chengdu-os", WEB, null, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
        assertThat(p.state()).isEqualTo(ProvisioningState.ACTIVE);

        Provisioning answer = inline.delete(p.id(), Caller.SYSTEM);
        assertThat(answer.state()).isEqualTo(ProvisioningState.DELETING);
        assertThat(inline.get(p.id(), Caller.SYSTEM).state()).isEqualTo(ProvisioningState.DELETED);
    }

    @Test
    void idempotencyKeyReturnsTheSameRequest() {
        Provisioning a = engine.submit("chengdu-os", WEB, "key-1", Caller.SYSTEM);
        Provisioning b = engine.submit("chengdu-os", WEB, "key-1", Caller.SYSTEM);
        assertThat(b.id()).isEqualTo(a.id());
        assertThatThrownBy(() -> engine.submit("chengdu-os", WorkloadSpec.vm("other", "health", "m1.small", "cirros", null),
                "key-1", Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("idempotencyKey"));
        engine.await(a.id(), WAIT, Caller.SYSTEM);
        assertThat(world.creates.get()).isEqualTo(1);
    }

    @Test
    void quotaExceededIsRefusedBeforeAnythingHappens() {
        quotas.set("health", "chengdu-os", QuotaResource.CPU, 500, Caller.SYSTEM);
        assertThatThrownBy(() -> engine.submit("chengdu-os", WEB, null, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
                    assertThat(e.field()).isEqualTo("cpu");
                });
        assertThat(engine.list(null, Caller.SYSTEM)).isEmpty();
        assertThat(world.creates.get()).isZero();
    }

    @Test
    void badInputNamesTheFieldAndLeavesNoTrace() {
        assertField(() -> engine.submit("nowhere", WEB, null, Caller.SYSTEM), "cloud");
        assertField(() -> engine.submit("chengdu-os", WorkloadSpec.vm("web", "nobody", "m1.small", "cirros", null), null,
                Caller.SYSTEM), "department");
        assertField(() -> engine.submit("chengdu-os", WorkloadSpec.vm("Web!", "health", "m1.small", "cirros", null), null,
                Caller.SYSTEM), "name");
        assertField(() -> engine.submit("chengdu-os", WorkloadSpec.vm("web", "health", "m9.huge", "cirros", null), null,
                Caller.SYSTEM), "flavor");
        assertField(() -> engine.submit("chengdu-os", WorkloadSpec.vm("web", "health", "m1.small", "windows", null), null,
                Caller.SYSTEM), "image");
        assertField(() -> engine.submit("chengdu-k8s", WEB, null, Caller.SYSTEM), "kind");
        assertThat(engine.list(null, Caller.SYSTEM)).isEmpty();
        assertThat(world.creates.get()).isZero();
    }

    @Test
    void departmentUsersActOnlyOnTheirOwnDepartment() {
        Caller alice = new Caller("alice", Set.of("dept-health"));
        Provisioning mine = engine.submit("chengdu-os", WEB, null, alice);
        Provisioning theirs = engine.submit("chengdu-os", WorkloadSpec.vm("ledger", "finance", "m1.small", "cirros", null),
                null, Caller.SYSTEM);
        assertThat(engine.list(null, alice)).extracting(Provisioning::id).containsExactly(mine.id());
        assertThatThrownBy(() -> engine.get(theirs.id(), alice)).isInstanceOfSatisfying(TianshuException.class,
                e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> engine.submit("chengdu-os", WorkloadSpec.vm("x", "finance", "m1.small", "cirros", null),
                null, alice)).isInstanceOfSatisfying(TianshuException.class,
                        e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.FORBIDDEN));
    }

    @Test
    void sagaCutShortAfterTheCloudCreatedTheVmIsResumedWithoutADuplicate() {
        // the "crash": the step thread dies right after journalling the external id
        ProvisioningEngine crashing = engine(p -> {
            if (p.state() == ProvisioningState.CREATING && p.externalId() != null) {
                throw new SimulatedCrash();
            }
        });
        Provisioning p = crashing.submit("chengdu-os", WEB, null, Caller.SYSTEM);
        // stop the crashed runtime only once the journal holds the external id: the crash point
        await(() -> crashing.get(p.id(), Caller.SYSTEM).externalId() != null);
        executor.shutdownNow();

        ProvisioningEngine restarted = engine(JournalListener.NONE);
        assertThat(restarted.recover()).isEqualTo(1);
        assertThat(restarted.await(p.id(), WAIT, Caller.SYSTEM).state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(world.creates.get()).isEqualTo(1);
        assertThat(world.workloads).hasSize(1);
    }

    @Test
    void sagaCutShortBeforeTheJournalKnewTheExternalIdAdoptsTheTaggedVm() {
        // the state a crash leaves between the cloud's answer and the journal write
        ProvisioningEngine crashing = engine(p -> {
            if (p.state() == ProvisioningState.CREATING) {
                inventory.session("chengdu-os").create(WEB, p.id());
                throw new SimulatedCrash();
            }
        });
        Provisioning p = crashing.submit("chengdu-os", WEB, null, Caller.SYSTEM);
        await(() -> world.creates.get() == 1);
        executor.shutdownNow();

        ProvisioningEngine restarted = engine(JournalListener.NONE);
        restarted.recover();
        Provisioning done = restarted.await(p.id(), WAIT, Caller.SYSTEM);
        assertThat(done.state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(done.externalId()).isEqualTo("w-1");
        assertThat(world.creates.get()).isEqualTo(1);
    }

    @Test
    void aResumedSagaAnnouncesItsWorkloadOnceCreatedAndOnceDeleted() {
        List<Event> published = new CopyOnWriteArrayList<>();
        ProvisioningEngine crashing = engine(p -> {
            new JournalEvents(() -> published::add).journalled(p);
            if (p.state() == ProvisioningState.CREATING && p.externalId() != null) {
                throw new SimulatedCrash();
            }
        });
        Provisioning p = crashing.submit("chengdu-os", WEB, null, Caller.SYSTEM);
        await(() -> crashing.get(p.id(), Caller.SYSTEM).externalId() != null);
        executor.shutdownNow();

        ProvisioningEngine restarted = engine(new JournalEvents(() -> published::add));
        restarted.recover();
        assertThat(restarted.await(p.id(), WAIT, Caller.SYSTEM).state()).isEqualTo(ProvisioningState.ACTIVE);
        await(() -> resourceEvents(published).size() == 1);
        restarted.recover();
        restarted.delete(p.id(), Caller.SYSTEM);
        restarted.delete(p.id(), Caller.SYSTEM);
        assertThat(restarted.await(p.id(), WAIT, Caller.SYSTEM).state()).isEqualTo(ProvisioningState.DELETED);
        await(() -> resourceEvents(published).size() == 2);
        restarted.recover();
        engine(new JournalEvents(() -> published::add)).recover();

        List<Event> resources = resourceEvents(published);
        assertThat(resources).extracting(Event::type)
                .containsExactly(EventType.RESOURCE_CREATED, EventType.RESOURCE_DELETED);
        for (Event e : resources) {
            assertThat(e.subject()).isEqualTo("workload/" + p.id());
            assertThat(e.departmentId()).isEqualTo("health");
            assertThat(e.cloudId()).isEqualTo("chengdu-os");
            assertThat(e.attributes()).containsEntry("kind", "vm").containsEntry("requestId", p.id())
                    .containsEntry("workload", "web").containsEntry("externalId", "w-1");
        }
    }

    static List<Event> resourceEvents(List<Event> published) {
        return published.stream().filter(e -> e.type() != EventType.PROVISIONING_STEP).toList();
    }

    @Test
    void compensationCutShortIsFinishedAtRestart() {
        world.failBuild = true;
        ProvisioningEngine crashing = engine(p -> {
            if (p.state() == ProvisioningState.COMPENSATING) {
                throw new SimulatedCrash();
            }
        });
        Provisioning p = crashing.submit("chengdu-os", WEB, null, Caller.SYSTEM);
        await(() -> crashing.get(p.id(), Caller.SYSTEM).state() == ProvisioningState.COMPENSATING);
        executor.shutdownNow();
        assertThat(world.workloads).hasSize(1);

        ProvisioningEngine restarted = engine(JournalListener.NONE);
        restarted.recover();
        assertThat(restarted.await(p.id(), WAIT, Caller.SYSTEM).state()).isEqualTo(ProvisioningState.FAILED);
        assertThat(world.workloads).isEmpty();
        assertThat(used(QuotaResource.INSTANCES)).isZero();
    }

    /** Runs steps that are due now in the calling thread: the fastest a saga can go. */
    static final class InlineExecutor extends ScheduledThreadPoolExecutor {
        InlineExecutor() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (delay > 0) {
                return super.schedule(command, delay, unit);
            }
            command.run();
            return super.schedule(() -> { }, 0, unit);
        }
    }

    /** Stands for the runtime dying: an Error ends the step thread without any cleanup. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;
    }

    static void assertField(Runnable r, String field) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.onSpinWait();
        }
    }
}
