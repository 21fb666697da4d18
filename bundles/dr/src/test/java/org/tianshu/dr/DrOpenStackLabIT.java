package org.tianshu.dr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.compute.Server;
import org.openstack4j.model.network.options.PortListOptions;
import org.openstack4j.openstack.OSFactory;
import org.tianshu.adapter.openstack.OpenStackDriver;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.dr.DrOperation;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.GroupState;
import org.tianshu.api.dr.NetworkMapping;
import org.tianshu.api.dr.PlanWorkload;
import org.tianshu.api.dr.ProtectedWorkload;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.RecoveryPlan;
import org.tianshu.api.dr.RecoveryReport;
import org.tianshu.api.dr.ReplicatingSession;
import org.tianshu.api.dr.ReplicationStatus;
import org.tianshu.api.dr.RunState;
import org.tianshu.api.dr.StepKind;
import org.tianshu.api.dr.StepState;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.testing.LabScripts;
import org.tianshu.inventory.InventoryComponent;
import org.tianshu.persistence.Database;
import org.tianshu.persistence.LabPostgres;
import org.tianshu.quota.Departments;

/**
 * Disaster recovery of a three-tier system on the real OpenStack of {@code lab/openstack.sh} (PostgreSQL from
 * {@code lab/postgres.sh}): the protected cloud is the lab's admin project, the recovery cloud project
 * {@link #RECOVERY_PROJECT} of the same OpenStack. Replication snapshots the servers into images of the recovery
 * project; a drill brings them up in an isolated network with the plan's IP customisation, without touching
 * production; the cleanup removes the drill's servers and network.
 */
class DrOpenStackLabIT {
    static final String KEYSTONE = "http://127.0.0.1:5000/v3";
    static final String PROD = "chengdu-os";
    static final String DR = "mianyang-os";
    static final String RECOVERY_PROJECT = "tianshu-dr-recovery";
    static final Duration WAIT = Duration.ofSeconds(300);
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String DEPT = "dr-os-" + RUN;
    static final String ROUND = "dr-rt-" + RUN;
    static final String CRASH = "dr-cr-" + RUN;
    static final Duration POLL = Duration.ofMillis(200);

    static final List<String> servers = new ArrayList<>();

    @BeforeAll
    static void lab() {
        LabPostgres.start();
        LabScripts.run("openstack.sh", "start");
    }

    /** Removes what the tests (or a failed run) left: drill network, every generation of the servers, their images. */
    @AfterAll
    static void cleanUp() {
        try (var recovery = (ReplicatingSession) new OpenStackDriver().open(cloud(DR), credentials(RECOVERY_PROJECT))) {
            recovery.dropNetwork(DEPT + "-drill");
        }
        OSClientV3 os = admin();
        for (Server s : os.compute().servers().list(Map.of("all_tenants", "1"))) {
            if (s.getName().startsWith(DEPT) || s.getName().startsWith(ROUND) || s.getName().startsWith(CRASH)) {
                os.imagesV2().list(Map.of("tianshu_dr_source", s.getId())).forEach(i -> os.imagesV2().delete(i.getId()));
                os.compute().servers().delete(s.getId());
            }
        }
        for (String dept : List.of(DEPT, ROUND, CRASH)) {
            var p = os.identity().projects().getByName(dept, "default");
            if (p != null) {
                os.identity().projects().delete(p.getId());
            }
        }
    }

    static Cloud cloud(String id) {
        return new Cloud(id, null, CloudKind.OPENSTACK, PROD.equals(id) ? "成都" : "绵阳", "RegionOne", 3, false, KEYSTONE,
                PROD.equals(id) ? "os-admin" : "os-recovery", Map.of());
    }

    static Credentials credentials(String project) {
        return new Credentials("admin".equals(project) ? "os-admin" : "os-recovery", Map.of("username", "admin",
                "password", "secret", "project", project));
    }

    static OSClientV3 admin() {
        return OSFactory.builderV3().endpoint(KEYSTONE).credentials("admin", "secret", Identifier.byName("Default"))
                .scopeToProject(Identifier.byName("admin"), Identifier.byName("Default")).authenticate();
    }

    /** The production servers as the cloud sees them: status, task, addresses, update time, metadata, ports. */
    static Map<String, String> fingerprint(List<String> ids) {
        OSClientV3 os = admin();
        Map<String, String> f = new TreeMap<>();
        for (String id : ids) {
            Server s = os.compute().servers().get(id);
            f.put(id, s.getStatus() + " " + s.getTaskState() + " " + s.getAddresses().getAddresses() + " " + s.getUpdated()
                    + " " + s.getMetadata() + " " + s.getFlavorId() + " " + s.getHypervisorHostname());
            os.networking().port().list(PortListOptions.create().deviceId(id))
                    .forEach(p -> f.put(id + " port " + p.getId(), p.getFixedIps() + " " + p.getState()));
        }
        String project = os.identity().projects().getByName(DEPT, "default").getId();
        f.put("servers of project " + DEPT, String.valueOf(os.compute().servers().list(Map.of("all_tenants", "1",
                "tenant_id", project)).size()));
        return f;
    }

    /** What a Tianshu process runs for DR on the lab OpenStack, wired by hand on database {@code db} (closed with it). */
    static final class Runtime implements AutoCloseable {
        final Database db;
        final ExecutorService executor = Executors.newFixedThreadPool(8);
        final InventoryComponent inventory;
        final Departments departments;
        final DisasterRecovery dr;

        Runtime(Database db, Duration pollInterval) {
            this.db = db;
            inventory = new InventoryComponent(db.dataSource(), 0, 1);
            inventory.addDriver(new OpenStackDriver());
            departments = new Departments(db.dataSource());
            dr = new DisasterRecovery(db.dataSource(), inventory, departments, executor,
                    new DrEngine.Settings(pollInterval, Duration.ofSeconds(120), 3, Duration.ofSeconds(1)), 8,
                    Map.of(), () -> null);
        }

        /** Onboards both clouds and {@code department}, as an operator would. */
        Runtime onboard(String department) {
            inventory.putCredentials(credentials("admin"), Caller.SYSTEM);
            inventory.register(cloud(PROD), Caller.SYSTEM);
            // the recovery project: a department project of the lab OpenStack, created as Tianshu creates them
            inventory.session(PROD).applyQuota(RECOVERY_PROJECT, Map.of());
            inventory.putCredentials(credentials(RECOVERY_PROJECT), Caller.SYSTEM);
            inventory.register(cloud(DR), Caller.SYSTEM);
            departments.create(new Department(department, "省政务服务中心", null), Caller.SYSTEM);
            return this;
        }

        /** Servers {@code department}-{tier} in the department's project on lab-net, active. */
        List<ProtectedWorkload> servers(String department, List<String> tiers) throws InterruptedException {
            CloudSession prod = inventory.session(PROD);
            List<ProtectedWorkload> members = new ArrayList<>();
            for (String tier : tiers) {
                String id = prod.create(WorkloadSpec.vm(department + "-" + tier, department, "m1.tiny", "cirros", "lab-net"),
                        department + "-" + tier);
                members.add(new ProtectedWorkload(tier, id));
            }
            for (ProtectedWorkload w : members) {
                awaitState(inventory.session(PROD), w.externalId(), WorkloadState.ACTIVE);
            }
            return members;
        }

        @Override
        public void close() {
            dr.stop();
            executor.shutdownNow();
            inventory.deactivate();
            db.close();
        }
    }

    static void awaitState(CloudSession session, String id, WorkloadState wanted) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (session.state(id) != wanted) {
            assertThat(System.nanoTime()).as(id + " " + wanted).isLessThan(end);
            Thread.sleep(300);
        }
    }

    @Test
    void drillOfAThreeTierSystemInAnIsolatedNetworkWithIpCustomisationLeavesProductionUntouched() throws Exception {
        try (Runtime rt = new Runtime(LabPostgres.freshDatabase(), POLL).onboard(DEPT)) {
            List<ProtectedWorkload> members = rt.servers(DEPT, List.of("db", "app", "web"));
            members.forEach(w -> servers.add(w.externalId()));
            drill(rt.dr, members);
        }
    }

    private void drill(DisasterRecovery dr, List<ProtectedWorkload> members) throws Exception {
        dr.createGroup(ProtectionGroup.of(DEPT, DEPT, PROD, DR, members, 600), Caller.SYSTEM);
        String drill = DEPT + "-drill";
        List<PlanWorkload> tiers = List.of(
                new PlanWorkload("db", 1, List.of(), List.of(DisasterRecoveryTest.script("db-check",
                        "test \"$TIANSHU_DR_WORKLOAD\" = db", 10))),
                new PlanWorkload("app", 2, List.of("db"), List.of()),
                new PlanWorkload("web", 3, List.of("app"), List.of(DisasterRecoveryTest.script("web-check",
                        "test '${network}' = " + drill, 10))));

        // IP customisation is checked before anything is created
        RecoveryPlan badCidr = new RecoveryPlan(DEPT + "-plan", DEPT, tiers, List.of(),
                List.of(new NetworkMapping("lab-net", "lab-net", "10.10.0.0/24", "10.78.0.0/23x", Map.of())), drill, false);
        assertThatThrownBy(() -> dr.createPlan(badCidr, Caller.SYSTEM)).isInstanceOfSatisfying(TianshuException.class, e -> {
            assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
            assertThat(e.field()).isEqualTo("networks[0].recoveryCidr");
        });
        assertThat(dr.plans(DEPT, Caller.SYSTEM)).isEmpty();
        RecoveryPlan plan = dr.createPlan(new RecoveryPlan(DEPT + "-plan", DEPT, tiers, List.of(), List.of(
                new NetworkMapping("lab-net", "lab-net", "10.10.0.0/24", "10.78.0.0/24", Map.of("db", "10.78.0.10"))),
                drill, false), Caller.SYSTEM);

        long t0 = System.nanoTime();
        ReplicationStatus status = dr.replicate(DEPT, Caller.SYSTEM);
        System.out.printf("replicated 3 servers (snapshot + copy) in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(status.copies()).containsOnlyKeys("db", "app", "web");
        assertThat(status.rpoSeconds()).isBetween(0L, 600L);
        assertThat(status.exceeded()).isFalse();
        Thread.sleep(2000);
        ReplicationStatus later = dr.replication(DEPT, Caller.SYSTEM);
        assertThat(later.recoveryPoint()).isEqualTo(status.recoveryPoint());
        assertThat(later.rpoSeconds()).as("the RPO is the age of the oldest copy: it grows").isGreaterThan(status.rpoSeconds());
        System.out.println("measured RPO " + later.rpoSeconds() + " s (recovery point " + later.recoveryPoint() + ")");
        Map<String, String> production = fingerprint(servers);

        DrRun run = dr.await(dr.start(plan.id(), DrOperation.DRILL, false, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
        assertThat(run.state()).as(String.valueOf(run.error())).isEqualTo(RunState.TEST_COMPLETE);
        assertThat(run.steps()).allMatch(s -> s.state() == StepState.DONE);
        RecoveryReport report = dr.report(run.id(), Caller.SYSTEM);
        assertThat(report.rtoByPriority()).containsOnlyKeys(1, 2, 3);
        System.out.println("OpenStack drill RTO " + DrReports.seconds(report.rto()) + ", by priority group "
                + report.rtoByPriority() + ", achieved RPO " + DrReports.seconds(report.achievedRpo()));

        OSClientV3 os = admin();
        String projectId = os.identity().projects().getByName(RECOVERY_PROJECT, "default").getId();
        var net = os.networking().network().list(Map.of("name", drill)).get(0);
        assertThat(net.getTenantId()).isEqualTo(projectId);
        assertThat(os.networking().port().list(PortListOptions.create().networkId(net.getId())))
                .noneMatch(p -> p.getDeviceOwner() != null && p.getDeviceOwner().startsWith("network:router"));
        Map<String, String> addresses = new TreeMap<>();
        List<String> drillServers = new ArrayList<>();
        for (String tier : List.of("db", "app", "web")) {
            String id = DisasterRecoveryTest.step(run, StepKind.BRING_UP, tier).detail();
            drillServers.add(id);
            Server s = os.compute().servers().get(id);
            assertThat(s.getStatus()).isEqualTo(Server.Status.ACTIVE);
            assertThat(s.getTenantId()).isEqualTo(projectId);
            assertThat(s.getAddresses().getAddresses()).containsOnlyKeys(drill);
            addresses.put(tier, s.getAddresses().getAddresses(drill).get(0).getAddr());
        }
        assertThat(addresses.get("db")).isEqualTo("10.78.0.10");
        for (String tier : List.of("app", "web")) {
            String prodAddress = os.compute().servers().get(servers.get(List.of("db", "app", "web").indexOf(tier)))
                    .getAddresses().getAddresses("lab-net").get(0).getAddr();
            assertThat(addresses.get(tier)).isEqualTo("10.78.0." + prodAddress.substring(prodAddress.lastIndexOf('.') + 1));
        }
        assertThat(fingerprint(servers)).as("production during the drill").isEqualTo(production);

        DrRun cleanup = dr.await(dr.start(plan.id(), DrOperation.CLEANUP, false, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
        assertThat(cleanup.state()).as(String.valueOf(cleanup.error())).isEqualTo(RunState.SUCCEEDED);
        assertThat(os.networking().network().list(Map.of("name", drill))).isEmpty();
        for (String id : drillServers) {
            Server s = os.compute().servers().get(id);
            assertThat(s == null || s.getStatus() == Server.Status.DELETED).as(id + " removed").isTrue();
        }
        assertThat(fingerprint(servers)).as("production after the drill").isEqualTo(production);
        assertThat(dr.replication(DEPT, Caller.SYSTEM).copies()).containsOnlyKeys("db", "app", "web");
    }

    @Test
    void plannedMigrationToTheRecoveryProjectAndFailbackRoundTrip() throws Exception {
        try (Runtime rt = new Runtime(LabPostgres.freshDatabase(), POLL).onboard(ROUND)) {
            List<ProtectedWorkload> members = rt.servers(ROUND, List.of("db", "web"));
            DisasterRecovery dr = rt.dr;
            dr.createGroup(ProtectionGroup.of(ROUND, ROUND, PROD, DR, members, 600), Caller.SYSTEM);
            RecoveryPlan plan = dr.createPlan(new RecoveryPlan(ROUND + "-plan", ROUND, List.of(
                    new PlanWorkload("db", 1, List.of(), List.of()), new PlanWorkload("web", 2, List.of("db"), List.of())),
                    List.of(), List.of(), ROUND + "-drill", true), Caller.SYSTEM);
            dr.replicate(ROUND, Caller.SYSTEM);
            OSClientV3 os = admin();
            String recoveryProject = os.identity().projects().getByName(RECOVERY_PROJECT, "default").getId();

            DrRun migration = dr.await(dr.start(plan.id(), DrOperation.PLANNED_MIGRATION, true, Caller.SYSTEM).id(), WAIT,
                    Caller.SYSTEM);
            assertThat(migration.state()).as(String.valueOf(migration.error())).isEqualTo(RunState.SUCCEEDED);
            assertThat(dr.group(ROUND, Caller.SYSTEM).state()).isEqualTo(GroupState.RECOVERED);
            List<String> recovered = new ArrayList<>();
            for (ProtectedWorkload w : members) {
                assertThat(os.compute().servers().get(w.externalId()).getStatus()).as("production " + w.name() + " stopped")
                        .isEqualTo(Server.Status.SHUTOFF);
                Server up = os.compute().servers().get(DisasterRecoveryTest.step(migration, StepKind.BRING_UP, w.name())
                        .detail());
                assertThat(up.getStatus()).isEqualTo(Server.Status.ACTIVE);
                assertThat(up.getTenantId()).isEqualTo(recoveryProject);
                assertThat(up.getAddresses().getAddresses()).containsOnlyKeys("lab-net");
                recovered.add(up.getId());
            }

            assertThat(dr.await(dr.start(plan.id(), DrOperation.REPROTECT, false, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM)
                    .state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(dr.group(ROUND, Caller.SYSTEM).protectedCloudId()).isEqualTo(DR);

            DrRun failback = dr.await(dr.start(plan.id(), DrOperation.FAILBACK, true, Caller.SYSTEM).id(), WAIT,
                    Caller.SYSTEM);
            assertThat(failback.state()).as(String.valueOf(failback.error())).isEqualTo(RunState.SUCCEEDED);
            ProtectionGroup home = dr.group(ROUND, Caller.SYSTEM);
            assertThat(home.protectedCloudId()).isEqualTo(PROD);
            assertThat(home.state()).isEqualTo(GroupState.PROTECTED);
            for (String id : recovered) {
                assertThat(os.compute().servers().get(id).getStatus()).as("recovered " + id + " stopped")
                        .isEqualTo(Server.Status.SHUTOFF);
            }
            for (ProtectedWorkload w : home.workloads()) {
                assertThat(recovered).doesNotContain(w.externalId());
                Server back = os.compute().servers().get(w.externalId());
                assertThat(back.getStatus()).as(w.name() + " back home").isEqualTo(Server.Status.ACTIVE);
                assertThat(back.getName()).isEqualTo(ROUND + "-" + w.name());
            }
            ReplicationStatus status = dr.replication(ROUND, Caller.SYSTEM);
            assertThat(status.exceeded()).isFalse();
            assertThat(status.copies()).containsOnlyKeys("db", "web");
        }
    }

    @Test
    void failoverKilledMidwayIsResumedByANewProcessWithoutDuplicateServers() throws Exception {
        RecoveryPlan plan;
        List<ProtectedWorkload> members;
        try (Runtime rt = new Runtime(LabPostgres.freshDatabase(), POLL).onboard(CRASH)) {
            members = rt.servers(CRASH, List.of("db", "app", "web"));
            rt.dr.createGroup(ProtectionGroup.of(CRASH, CRASH, PROD, DR, members, 600), Caller.SYSTEM);
            plan = rt.dr.createPlan(new RecoveryPlan(CRASH + "-plan", CRASH, List.of(
                    new PlanWorkload("db", 1, List.of(), List.of()), new PlanWorkload("app", 1, List.of(), List.of()),
                    new PlanWorkload("web", 2, List.of("db", "app"), List.of())), List.of(), List.of(), CRASH + "-drill",
                    true), Caller.SYSTEM);
            rt.dr.replicate(CRASH, Caller.SYSTEM);
        }
        String runId = DrLabIT.runAndKill(plan.id(), "openstack");
        try (Runtime rt = new Runtime(LabPostgres.existingDatabase(), POLL)) {
            assertThat(rt.dr.run(runId, Caller.SYSTEM).state()).isEqualTo(RunState.RUNNING);
            assertThat(rt.dr.recover()).isEqualTo(1);
            DrRun done = rt.dr.await(runId, WAIT, Caller.SYSTEM);
            assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(RunState.SUCCEEDED);
            assertThat(rt.dr.group(CRASH, Caller.SYSTEM).state()).isEqualTo(GroupState.RECOVERED);
            OSClientV3 os = admin();
            String recoveryProject = os.identity().projects().getByName(RECOVERY_PROJECT, "default").getId();
            List<Server> recovered = new ArrayList<>();
            for (Server s : os.compute().servers().list(Map.of("all_tenants", "1", "tenant_id", recoveryProject))) {
                if (s.getName().startsWith(CRASH)) {
                    recovered.add(s);
                }
            }
            // nothing duplicated: the resumed bring-ups found the servers the killed process had booted
            assertThat(recovered).extracting(Server::getName).containsExactlyInAnyOrder(CRASH + "-db", CRASH + "-app",
                    CRASH + "-web");
            assertThat(recovered).allSatisfy(s -> assertThat(s.getStatus()).isEqualTo(Server.Status.ACTIVE));
            for (ProtectedWorkload w : members) {
                assertThat(os.compute().servers().get(w.externalId()).getStatus()).as("production " + w.name())
                        .isEqualTo(Server.Status.SHUTOFF);
            }
        }
    }
}
