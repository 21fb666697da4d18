package org.tianshu.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack4j.api.Builders;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.identity.v3.Domain;
import org.openstack4j.model.identity.v3.Project;
import org.openstack4j.openstack.OSFactory;
import org.tianshu.adapter.openstack.OpenStackDriver;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningState;
import org.tianshu.api.scheduling.Constraint;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.scheduling.PlacementRequest;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.tenancy.QuotaResource;
import org.tianshu.api.testing.LabScripts;
import org.tianshu.inventory.InventoryComponent;
import org.tianshu.persistence.Database;
import org.tianshu.quota.Departments;
import org.tianshu.quota.Quotas;
import org.tianshu.scheduler.SchedulerComponent;

/**
 * Scheduled provisioning on the real lab OpenStack of {@code lab/openstack.sh} (two compute hosts): the server
 * is created on the host the scheduler holds, and a cloud whose Nova refuses it (project quota exceeded) hands
 * the request to the next-best cloud. The two Tianshu clouds are the same lab OpenStack, the second one keeping
 * its departments' projects in another Keystone domain, so each has its own Nova project quota.
 */
class ScheduledOpenStackIT {
    static final String KEYSTONE = "http://127.0.0.1:5000/v3";
    static final String DOMAIN_B = "tianshu-it-b";
    static final Duration WAIT = Duration.ofSeconds(180);
    static String domainB;

    @TempDir
    Path dir;
    Database db;
    InventoryComponent inventory;
    SchedulerComponent scheduler;
    ProvisioningEngine engine;
    ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    final List<String> journal = new CopyOnWriteArrayList<>();
    final List<String> requests = new ArrayList<>();
    final String dept = "it-sched-" + UUID.randomUUID().toString().substring(0, 8);

    static OSClientV3 admin() {
        return OSFactory.builderV3().endpoint(KEYSTONE).credentials("admin", "secret", Identifier.byName("Default"))
                .scopeToProject(Identifier.byName("admin"), Identifier.byName("Default")).authenticate();
    }

    @BeforeAll
    static void lab() {
        LabScripts.run("openstack.sh", "start");
        OSClientV3 os = admin();
        Domain d = os.identity().domains().getByName(DOMAIN_B).stream().<Domain>map(x -> x).findFirst()
                .orElseGet(() -> os.identity().domains().create(Builders.domain().name(DOMAIN_B).enabled(true)
                        .description("Tianshu ScheduledOpenStackIT: departments of the second lab cloud").build()));
        domainB = d.getId();
    }

    @BeforeEach
    void setUp() {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000", "sa", "", 10);
        inventory = new InventoryComponent(db.dataSource(), 0, 1);
        inventory.addDriver(new OpenStackDriver());
        inventory.putCredentials(new Credentials("os-lab", Map.of("username", "admin", "password", "secret", "project", "admin")),
                Caller.SYSTEM);
        inventory.register(new Cloud("lab-os-a", null, CloudKind.OPENSTACK, "成都", "RegionOne", 3, false, KEYSTONE, "os-lab",
                Map.of()), Caller.SYSTEM);
        inventory.register(new Cloud("lab-os-b", null, CloudKind.OPENSTACK, "成都", "RegionOne", 3, false, KEYSTONE, "os-lab",
                Map.of("department.domainId", domainB)), Caller.SYSTEM);
        Departments departments = new Departments(db.dataSource());
        Quotas quotas = new Quotas(db.dataSource(), departments, inventory);
        departments.create(new Department(dept, "IT department", null), Caller.SYSTEM);
        quotas.set(dept, "*", QuotaResource.INSTANCES, 10, Caller.SYSTEM);
        scheduler = new SchedulerComponent(db.dataSource(), inventory, inventory, departments, quotas, 0);
        scheduler.refreshNow();
        engine = new ProvisioningEngine(db.dataSource(), inventory, departments, quotas, executor,
                new ProvisioningEngine.Settings(Duration.ofMillis(500), WAIT, Duration.ofSeconds(1), 1),
                p -> journal.add(p.state() + " " + p.cloudId()), () -> scheduler);
    }

    @AfterEach
    void tearDown() {
        for (String id : requests) {
            Provisioning p = engine.get(id, Caller.SYSTEM);
            if (p.state() == ProvisioningState.ACTIVE) {
                engine.delete(id, Caller.SYSTEM);
            }
            engine.await(id, WAIT, Caller.SYSTEM);
        }
        executor.shutdownNow();
        scheduler.deactivate();
        inventory.deactivate();
        db.close();
        OSClientV3 os = admin();
        for (String domain : List.of("default", domainB)) {
            Project p = os.identity().projects().getByName(dept, domain);
            if (p != null) {
                os.identity().projects().delete(p.getId());
            }
        }
    }

    static PlacementConstraints only(String... clouds) {
        return new PlacementConstraints(Set.of(clouds), 1, false, null, Set.of(), null, null, false, null);
    }

    WorkloadSpec vm(String name) {
        return WorkloadSpec.vm(name, dept, "m1.tiny", "cirros", "lab-net");
    }

    Provisioning submit(WorkloadSpec spec, PlacementConstraints c) {
        Provisioning p = engine.submit(spec, c, null, null, Caller.SYSTEM);
        requests.add(p.id());
        return p;
    }

    @Test
    void theServerIsCreatedOnTheHostTheSchedulerHolds() {
        Provisioning p = submit(vm("pinned"), only("lab-os-a"));
        String held = scheduler.reservations(dept, Caller.SYSTEM).stream().filter(r -> r.id().equals(p.id())).findFirst()
                .orElseThrow().hosts().keySet().iterator().next();
        assertThat(held).startsWith("lab-os-a/lab-compute-");
        Provisioning done = engine.await(p.id(), WAIT, Caller.SYSTEM);
        assertThat(done.state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(admin().compute().servers().get(done.externalId()).getHypervisorHostname())
                .isEqualTo(held.substring("lab-os-a/".length()));
    }

    @Test
    void aCloudWhoseNovaRefusesForQuotaHandsTheRequestToTheNextBestCloud() {
        String first = scheduler.place(new PlacementRequest(dept, new Resources(1000, 512, 1, 0), 1,
                only("lab-os-a", "lab-os-b"), null, false), true, Caller.SYSTEM).decision().get(0).cloudId();
        String second = first.equals("lab-os-a") ? "lab-os-b" : "lab-os-a";
        // Nova of the first choice allows the department no server at all
        inventory.session(first).applyQuota(dept, Map.of(QuotaResource.INSTANCES, 0L));

        Provisioning p = submit(vm("refused"), only("lab-os-a", "lab-os-b"));
        assertThat(p.cloudId()).isEqualTo(first);
        Provisioning done = engine.await(p.id(), WAIT, Caller.SYSTEM);

        assertThat(done.state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(done.cloudId()).isEqualTo(second);
        assertThat(done.placement().clouds()).filteredOn(v -> v.cloudId().equals(first)).singleElement().satisfies(v -> {
            assertThat(v.rejectedBy()).isEqualTo(Constraint.CLOUD_REFUSED);
            assertThat(v.reason()).containsIgnoringCase("quota exceeded");
        });
        assertThat(journal).containsSubsequence("CREATING " + first, "CREATING " + second, "ACTIVE " + second);
        // the server is in the department's project of the second cloud's domain, and the first has none
        String domain = second.equals("lab-os-b") ? domainB : "default";
        OSClientV3 os = admin();
        assertThat(os.compute().servers().get(done.externalId()).getTenantId())
                .isEqualTo(os.identity().projects().getByName(dept, domain).getId());
        assertThat(scheduler.reservations(dept, Caller.SYSTEM)).singleElement()
                .satisfies(r -> assertThat(r.hosts()).allSatisfy((k, v) -> assertThat(k).startsWith(second + "/")));
    }

    @Test
    void anApprovedRebalancingPlanLiveMigratesAServerOffTheOverloadedHost() throws Exception {
        // two 12-vCPU servers on lab-compute-1 put it over a 50% threshold; one fits on lab-compute-2 below it
        OSClientV3 os = admin();
        org.openstack4j.model.compute.Flavor big = os.compute().flavors().create(Builders.flavor().name("it-rb-" + dept)
                .vcpus(12).ram(1024).disk(1).isPublic(true).build());
        org.tianshu.api.cloud.CloudSession session = inventory.session("lab-os-a");
        List<String> servers = new ArrayList<>();
        org.tianshu.scheduler.RebalanceEngine rebalance = new org.tianshu.scheduler.RebalanceEngine(db.dataSource(), inventory,
                inventory, scheduler, executor, new org.tianshu.scheduler.RebalanceEngine.Settings(0.5, 1, Duration.ofMillis(500),
                        WAIT));
        Caller ops = new Caller("ops", Set.of(Caller.OPERATOR));
        try {
            session.applyQuota(dept, Map.of()); // Nova's default 20 cores would refuse the second server
            for (String name : List.of("rb-1", "rb-2")) {
                servers.add(session.create(WorkloadSpec.vm(name, dept, big.getName(), "cirros", "lab-net"), "req-" + name + "-" + dept,
                        Set.of("lab-compute-1")));
            }
            long end = System.nanoTime() + WAIT.toNanos();
            while (servers.stream().anyMatch(id -> !session.hostOf(id).equals(java.util.Optional.of("lab-compute-1")))
                    && System.nanoTime() < end) {
                Thread.sleep(500);
            }
            inventory.sync("lab-os-a");
            scheduler.refreshNow();

            org.tianshu.api.scheduling.RebalancePlan plan = rebalance.propose("lab-os-a", ops);
            assertThat(plan.relieved()).contains("lab-os-a/lab-compute-1");
            assertThat(plan.moves()).singleElement().satisfies(m -> {
                assertThat(m.externalId()).isIn(servers);
                assertThat(m.fromHost()).isEqualTo("lab-compute-1");
                assertThat(m.toHost()).isEqualTo("lab-compute-2");
            });
            rebalance.approve(plan.id(), ops);
            long t0 = System.nanoTime();
            rebalance.execute(plan.id(), ops);
            org.tianshu.api.scheduling.RebalancePlan done = rebalance.get(plan.id(), ops);
            while (done.state() == org.tianshu.api.scheduling.RebalancePlan.State.EXECUTING && System.nanoTime() - t0 < WAIT.toNanos()) {
                Thread.sleep(500);
                done = rebalance.get(plan.id(), ops);
            }
            System.out.printf("rebalancing plan executed (one live migration) in %.1f s%n", (System.nanoTime() - t0) / 1e9);

            // journalled move by move, and the server runs on the target in Nova
            assertThat(done.state()).isEqualTo(org.tianshu.api.scheduling.RebalancePlan.State.DONE);
            assertThat(done.moves()).singleElement().satisfies(m -> assertThat(m.state())
                    .isEqualTo(org.tianshu.api.scheduling.Move.State.DONE));
            String moved = done.moves().get(0).externalId();
            assertThat(os.compute().servers().get(moved).getHypervisorHostname()).isEqualTo("lab-compute-2");
            assertThat(servers.stream().filter(id -> !id.equals(moved)).map(id -> os.compute().servers().get(id)
                    .getHypervisorHostname())).containsExactly("lab-compute-1");
        } finally {
            servers.forEach(session::delete);
            long end = System.nanoTime() + WAIT.toNanos();
            while (servers.stream().anyMatch(id -> session.state(id) != org.tianshu.api.cloud.WorkloadState.GONE)
                    && System.nanoTime() < end) {
                Thread.sleep(500);
            }
            os.compute().flavors().delete(big.getId());
        }
    }
}
