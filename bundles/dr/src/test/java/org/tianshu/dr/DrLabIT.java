package org.tianshu.dr;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Caller;
import org.tianshu.api.dr.DrOperation;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.DrStep;
import org.tianshu.api.dr.GroupState;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.RecoveryPlan;
import org.tianshu.api.dr.RecoveryReport;
import org.tianshu.api.dr.RunState;
import org.tianshu.api.dr.StepKind;
import org.tianshu.api.dr.StepState;
import org.tianshu.api.testing.ChildJvm;
import org.tianshu.api.testing.LabScripts;
import org.tianshu.persistence.Database;
import org.tianshu.persistence.Jdbc;
import org.tianshu.persistence.LabPostgres;

/**
 * Disaster recovery against the real PostgreSQL and the Kubernetes lab clusters (a separate process started by
 * {@code lab/kubernetes.sh}, so the clouds outlive a crash): a drill of a three-tier system, a planned migration
 * and failback round trip, and a failover killed -9 in the middle and resumed by a new process.
 */
class DrLabIT {
    static final Duration WAIT = Duration.ofSeconds(120);
    private static KubernetesClient chengdu;
    private static KubernetesClient mianyang;

    @BeforeAll
    static void lab() {
        LabPostgres.start();
        LabScripts.run("kubernetes.sh", "start");
        chengdu = client(DrLabRuntime.PROD_URL);
        mianyang = client(DrLabRuntime.DR_URL);
    }

    @AfterAll
    static void close() {
        chengdu.close();
        mianyang.close();
    }

    static KubernetesClient client(String url) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).build();
        return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory()).withConfig(config).build();
    }

    /** Names vary: the lab outlives test runs. */
    static String department() {
        return "dr-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Every controller of a namespace with its resource version, replicas and template: changes to any show. */
    static Map<String, String> fingerprint(KubernetesClient client, String namespace) {
        Map<String, String> f = new TreeMap<>();
        List<HasMetadata> all = new ArrayList<>(client.apps().deployments().inNamespace(namespace).list().getItems());
        all.addAll(client.apps().statefulSets().inNamespace(namespace).list().getItems());
        all.addAll(client.network().v1().networkPolicies().inNamespace(namespace).list().getItems());
        for (HasMetadata o : all) {
            f.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion() + " "
                    + io.fabric8.kubernetes.client.utils.Serialization.asJson(o));
        }
        return f;
    }

    static DrStep step(DrRun run, StepKind kind, String workload) {
        return DisasterRecoveryTest.step(run, kind, workload);
    }

    @Test
    void drillOfAThreeTierSystemInPriorityOrderIsolatedAndCleanedUpWithoutTouchingProduction() throws Exception {
        String dept = department();
        try (Database db = LabPostgres.freshDatabase(); DrLabRuntime rt = new DrLabRuntime(db.dataSource(),
                Duration.ofMillis(100))) {
            rt.onboard(dept);
            RecoveryPlan plan = rt.threeTier(dept);
            rt.dr.replicate(dept, Caller.SYSTEM);
            assertThat(rt.dr.replication(dept, Caller.SYSTEM).exceeded()).isFalse();
            Map<String, String> production = fingerprint(chengdu, dept);
            Map<String, String> copies = fingerprint(mianyang, dept);
            assertThat(production).hasSize(3);
            assertThat(copies).hasSize(3).allSatisfy((k, v) -> assertThat(v).contains("\"replicas\":0"));

            DrRun drill = rt.dr.await(rt.dr.start(plan.id(), DrOperation.DRILL, false, Caller.SYSTEM).id(), WAIT,
                    Caller.SYSTEM);
            assertThat(drill.state()).as(String.valueOf(drill.error())).isIn(RunState.TEST_COMPLETE, RunState.SUCCEEDED);
            assertThat(drill.steps()).allMatch(s -> s.state() == StepState.DONE);
            assertThat(step(drill, StepKind.BRING_UP, "db").detail()).isEqualTo(dept + "-drill/statefulset/db");
            assertThat(step(drill, StepKind.BRING_UP, "app").startedAt())
                    .isAfterOrEqualTo(DisasterRecoveryTest.barrier(drill, 1).finishedAt());
            assertThat(step(drill, StepKind.BRING_UP, "web").startedAt())
                    .isAfterOrEqualTo(DisasterRecoveryTest.barrier(drill, 2).finishedAt());
            RecoveryReport report = rt.dr.report(drill.id(), Caller.SYSTEM);
            assertThat(report.rtoByPriority()).containsOnlyKeys(1, 2, 3);
            System.out.println("drill RTO " + DrReports.seconds(report.rto()) + ", by priority group "
                    + report.rtoByPriority() + ", achieved RPO " + DrReports.seconds(report.achievedRpo()));
            String html = rt.dr.reportHtml(drill.id(), Caller.SYSTEM);
            java.nio.file.Files.writeString(Path.of("target", "drill-report.html"), html);

            DrRun cleanup = null;
            long end = System.nanoTime() + WAIT.toNanos();
            while (cleanup == null || !cleanup.state().settled()) {
                assertThat(System.nanoTime()).as("automatic cleanup").isLessThan(end);
                Thread.sleep(100);
                cleanup = rt.dr.runs(plan.id(), Caller.SYSTEM).stream().filter(r -> r.operation() == DrOperation.CLEANUP)
                        .findFirst().orElse(null);
            }
            assertThat(cleanup.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(mianyang.namespaces().withName(dept + "-drill").get()).isNull();
            assertThat(fingerprint(chengdu, dept)).isEqualTo(production);
            assertThat(fingerprint(mianyang, dept)).isEqualTo(copies);
        }
    }

    @Test
    void plannedMigrationAndFailbackRoundTrip() throws Exception {
        String dept = department();
        try (Database db = LabPostgres.freshDatabase(); DrLabRuntime rt = new DrLabRuntime(db.dataSource(),
                Duration.ofMillis(100))) {
            rt.onboard(dept);
            RecoveryPlan plan = rt.threeTier(dept);
            rt.dr.replicate(dept, Caller.SYSTEM);

            DrRun migration = rt.dr.await(rt.dr.start(plan.id(), DrOperation.PLANNED_MIGRATION, false, Caller.SYSTEM).id(),
                    WAIT, Caller.SYSTEM);
            assertThat(migration.state()).as(String.valueOf(migration.error())).isEqualTo(RunState.SUCCEEDED);
            assertThat(replicas(chengdu, dept, "web")).isZero();
            assertThat(replicas(mianyang, dept, "web")).isEqualTo(2);
            assertThat(ready(mianyang, dept, "web")).isEqualTo(2);
            assertThat(rt.dr.group(dept, Caller.SYSTEM).state()).isEqualTo(GroupState.RECOVERED);

            assertThat(rt.dr.await(rt.dr.start(plan.id(), DrOperation.REPROTECT, false, Caller.SYSTEM).id(), WAIT,
                    Caller.SYSTEM).state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(rt.dr.group(dept, Caller.SYSTEM).protectedCloudId()).isEqualTo(DrLabRuntime.DR);

            DrRun failback = rt.dr.await(rt.dr.start(plan.id(), DrOperation.FAILBACK, false, Caller.SYSTEM).id(), WAIT,
                    Caller.SYSTEM);
            assertThat(failback.state()).as(String.valueOf(failback.error())).isEqualTo(RunState.SUCCEEDED);
            ProtectionGroup home = rt.dr.group(dept, Caller.SYSTEM);
            assertThat(home.protectedCloudId()).isEqualTo(DrLabRuntime.PROD);
            assertThat(home.state()).isEqualTo(GroupState.PROTECTED);
            assertThat(home.workloads()).extracting(w -> w.externalId()).containsExactlyInAnyOrder(
                    dept + "/statefulset/db", dept + "/deployment/app", dept + "/deployment/web");
            for (String tier : List.of("db", "app", "web")) {
                assertThat(replicas(chengdu, dept, tier)).as(tier).isEqualTo(2);
                assertThat(ready(chengdu, dept, tier)).as(tier).isEqualTo(2);
                assertThat(replicas(mianyang, dept, tier)).as(tier).isZero();
            }
            assertThat(rt.dr.replication(dept, Caller.SYSTEM).exceeded()).isFalse();
        }
    }

    @Test
    void failoverKilledMidwayIsResumedByANewProcessToACorrectEnd() throws Exception {
        String dept = department();
        RecoveryPlan plan;
        try (Database db = LabPostgres.freshDatabase(); DrLabRuntime rt = new DrLabRuntime(db.dataSource(),
                Duration.ofMillis(100))) {
            rt.onboard(dept);
            plan = rt.threeTier(dept);
            rt.dr.replicate(dept, Caller.SYSTEM);
        }
        String runId = runAndKill(plan.id());
        try (Database db = LabPostgres.existingDatabase(); DrLabRuntime rt = new DrLabRuntime(db.dataSource(),
                Duration.ofMillis(100))) {
            assertThat(rt.dr.run(runId, Caller.SYSTEM).state()).isEqualTo(RunState.RUNNING);
            assertThat(rt.dr.recover()).isEqualTo(1);
            DrRun done = rt.dr.await(runId, WAIT, Caller.SYSTEM);
            assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(RunState.SUCCEEDED);
            assertThat(rt.dr.group(dept, Caller.SYSTEM).state()).isEqualTo(GroupState.RECOVERED);
            for (String tier : List.of("db", "app", "web")) {
                assertThat(ready(mianyang, dept, tier)).as(tier).isEqualTo(2);
                assertThat(replicas(chengdu, dept, tier)).as(tier).isZero();
            }
            // nothing duplicated: the recovery namespace holds exactly the three copies
            assertThat(fingerprint(mianyang, dept)).hasSize(3);
        }
    }

    static int replicas(KubernetesClient c, String ns, String name) {
        HasMetadata o = "db".equals(name) ? c.apps().statefulSets().inNamespace(ns).withName(name).get()
                : c.apps().deployments().inNamespace(ns).withName(name).get();
        Integer r = o instanceof io.fabric8.kubernetes.api.model.apps.Deployment d ? d.getSpec().getReplicas()
                : ((io.fabric8.kubernetes.api.model.apps.StatefulSet) o).getSpec().getReplicas();
        return r == null ? 1 : r;
    }

    static int ready(KubernetesClient c, String ns, String name) {
        HasMetadata o = "db".equals(name) ? c.apps().statefulSets().inNamespace(ns).withName(name).get()
                : c.apps().deployments().inNamespace(ns).withName(name).get();
        Integer r = o instanceof io.fabric8.kubernetes.api.model.apps.Deployment d
                ? (d.getStatus() == null ? null : d.getStatus().getReadyReplicas())
                : (((io.fabric8.kubernetes.api.model.apps.StatefulSet) o).getStatus() == null ? null
                        : ((io.fabric8.kubernetes.api.model.apps.StatefulSet) o).getStatus().getReadyReplicas());
        return r == null ? 0 : r;
    }

    /**
     * Runs {@link CrashingDrRuntime} in its own JVM (with {@code args} after the plan id), waits until a bring-up is in
     * flight, then kills it -9.
     */
    static String runAndKill(String planId, String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = planId;
        System.arraycopy(args, 0, all, 1, args.length);
        try (ChildJvm child = ChildJvm.start(CrashingDrRuntime.class, all)) {
            String id = child.await("RUN ");
            try (Database db = LabPostgres.existingDatabase()) {
                Jdbc jdbc = new Jdbc(db.dataSource());
                ChildJvm.until(WAIT, "failover reached a bring-up", () -> !jdbc.query(
                        "SELECT seq FROM dr_step WHERE run_id = ? AND kind = 'BRING_UP' AND state = 'RUNNING'",
                        rs -> rs.getInt(1), id).isEmpty());
                Thread.sleep(500);
            }
            return id;
        }
    }
}
