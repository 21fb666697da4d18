package org.tianshu.bench;

import static org.tianshu.bench.Bench.figure;
import static org.tianshu.bench.Bench.note;
import static org.tianshu.bench.Bench.seconds;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tianshu.adapter.kubernetes.KubernetesDriver;
import org.tianshu.api.Caller;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.dr.DrOperation;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.PlanWorkload;
import org.tianshu.api.dr.ProtectedWorkload;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.RecoveryPlan;
import org.tianshu.api.dr.RecoveryReport;
import org.tianshu.api.dr.RunState;
import org.tianshu.api.dr.StepKind;
import org.tianshu.api.tenancy.Department;
import org.tianshu.dr.DisasterRecovery;
import org.tianshu.dr.DrEngine;
import org.tianshu.inventory.InventoryComponent;
import org.tianshu.lab.kubernetes.LabClusters;
import org.tianshu.lab.kubernetes.LabSpec;
import org.tianshu.persistence.Database;
import org.tianshu.quota.Departments;

/**
 * Failover of a recovery plan with {@code bench.dr.workloads} (1000) workloads in 5 priority groups, chengdu to
 * mianyang, through the real code path: two lab Kubernetes clusters in this JVM, the Kubernetes adapter's
 * replication, the DR engine journalling every step in PostgreSQL. Prints the measured RTO (start of the run
 * to the last priority group up), the time during which no call to a cloud (or wait for a workload to come up)
 * was in flight (orchestration overhead) and its share of the run. System properties: {@code bench.dr.workloads},
 * {@code bench.dr.concurrency} (calls in flight per cloud, 32), {@code bench.dr.pollMillis} (50),
 * {@code bench.pg.url} ({@code jdbc:postgresql://127.0.0.1:5432/tianshu_test}), {@code bench.pg.schema}
 * ({@code benchdr}; dropped and recreated).
 */
final class FailoverBench {
    private static final int GROUPS = 5;
    private final int workloads = Integer.getInteger("bench.dr.workloads", 1000);
    private final int concurrency = Integer.getInteger("bench.dr.concurrency", 32);
    private final long pollMillis = Long.getLong("bench.dr.pollMillis", 50);
    private final String pgUrl = System.getProperty("bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/tianshu_test");
    private final String pgSchema = System.getProperty("bench.pg.schema", "benchdr");

    void run() throws Exception {
        figure("failover: heap max %d MiB, %d cores, load %s", Heap.maxMiB(), Runtime.getRuntime().availableProcessors(),
                Bench.load());
        String user = System.getProperty("bench.pg.user", "tianshu");
        String password = System.getProperty("bench.pg.password", "tianshu");
        try (Connection c = DriverManager.getConnection(pgUrl, user, password); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE");
            s.execute("CREATE SCHEMA " + pgSchema);
        }
        String url = pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + pgSchema;
        LabSpec spec = LabSpec.defaults().withRandomPorts().withClusters("chengdu", "mianyang").withScale(16, 0);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency * 2 + 8);
        try (LabClusters lab = LabClusters.start(spec); Database db = Database.open(url, user, password, 20)) {
            InventoryComponent inventory = new InventoryComponent(db.dataSource(), 0, 1);
            inventory.addDriver(new KubernetesDriver());
            inventory.putCredentials(new Credentials("lab", Map.of()), Caller.SYSTEM);
            inventory.register(new Cloud("chengdu-k8s", null, CloudKind.KUBERNETES, "成都", null, 3, false,
                    lab.cluster("chengdu").url(), "lab", Map.of()), Caller.SYSTEM);
            inventory.register(new Cloud("mianyang-k8s", null, CloudKind.KUBERNETES, "绵阳", null, 3, false,
                    lab.cluster("mianyang").url(), "lab", Map.of()), Caller.SYSTEM);
            Departments departments = new Departments(db.dataSource());
            departments.create(new Department("portal", "省政务服务网", null), Caller.SYSTEM);
            DisasterRecovery dr = new DisasterRecovery(db.dataSource(), inventory, departments, pool,
                    new DrEngine.Settings(Duration.ofMillis(pollMillis), Duration.ofSeconds(600), 3, Duration.ofSeconds(1)),
                    concurrency, Map.of(), () -> null);

            note("creating %d workloads in chengdu", workloads);
            long t0 = System.nanoTime();
            CloudSession chengdu = inventory.session("chengdu-k8s");
            List<Future<String>> created = new ArrayList<>();
            ExecutorService setup = Executors.newFixedThreadPool(16);
            for (int i = 0; i < workloads; i++) {
                String name = String.format("svc-%04d", i);
                created.add(setup.submit(() -> chengdu.create(WorkloadSpec.container(name, "portal", "registry.lab/" + name
                        + ":1", 1, 50, 64, 0, "deployment"), "bench-" + name)));
            }
            List<ProtectedWorkload> members = new ArrayList<>();
            for (int i = 0; i < workloads; i++) {
                members.add(new ProtectedWorkload(String.format("svc-%04d", i), created.get(i).get()));
            }
            setup.shutdown();
            while (chengdu.discover().workloads().stream().filter(w -> w.state() == WorkloadState.ACTIVE).count() < workloads) {
                Thread.sleep(200);
            }
            note("workloads active after %.1f s", seconds(System.nanoTime() - t0));

            dr.createGroup(ProtectionGroup.of("portal", "portal", "chengdu-k8s", "mianyang-k8s", members, 3600), Caller.SYSTEM);
            List<PlanWorkload> plan = new ArrayList<>();
            for (int i = 0; i < workloads; i++) {
                int priority = 1 + i * GROUPS / workloads;
                // every tenth workload depends on the one before it in its priority group
                List<String> deps = i % 10 == 9 ? List.of(members.get(i - 1).name()) : List.of();
                plan.add(new PlanWorkload(members.get(i).name(), priority, deps, List.of()));
            }
            dr.createPlan(new RecoveryPlan("portal-plan", "portal", plan, List.of(), List.of(), "portal-drill", true),
                    Caller.SYSTEM);
            long r0 = System.nanoTime();
            dr.replicate("portal", Caller.SYSTEM);
            figure("failover: replication of %d workloads to mianyang took %.2f s (sequential export and keep-ready)",
                    workloads, seconds(System.nanoTime() - r0));

            note("failover of %d workloads in %d priority groups, %d calls in flight per cloud", workloads, GROUPS,
                    concurrency);
            DrRun run = dr.await(dr.start("portal-plan", DrOperation.FAILOVER, true, Caller.SYSTEM).id(),
                    Duration.ofMinutes(30), Caller.SYSTEM);
            if (run.state() != RunState.SUCCEEDED) {
                throw new IllegalStateException("failover " + run.state() + ": " + run.error());
            }
            RecoveryReport report = dr.report(run.id(), Caller.SYSTEM);
            Duration total = Duration.between(run.startedAt(), run.finishedAt());
            Duration overhead = total.minus(report.cloudWait());
            long up = inventory.session("mianyang-k8s").discover().workloads().stream()
                    .filter(w -> w.externalId().startsWith("portal/") && w.state() == WorkloadState.ACTIVE).count();
            long stopped = chengdu.discover().workloads().stream().map(Workload::state)
                    .filter(s -> s == WorkloadState.STOPPED).count();
            figure("failover: %d workloads, %d steps, active in mianyang %d, stopped in chengdu %d", workloads,
                    run.steps().size(), up, stopped);
            figure("failover: measured RTO %.2f s; priority groups up after %s", seconds(report.rto().toNanos()),
                    report.rtoByPriority().entrySet().stream().map(e -> e.getKey() + ": "
                            + String.format(java.util.Locale.ROOT, "%.2f s", seconds(e.getValue().toNanos()))).toList());
            figure("failover: run %.2f s (RTO plus stopping production), waiting on the clouds %.2f s,"
                    + " orchestration overhead %.3f s = %.2f %% of the run", seconds(total.toNanos()),
                    seconds(report.cloudWait().toNanos()), seconds(overhead.toNanos()),
                    100.0 * overhead.toNanos() / total.toNanos());
            java.time.Instant first = run.steps().stream().map(org.tianshu.api.dr.DrStep::startedAt)
                    .min(java.util.Comparator.naturalOrder()).orElseThrow();
            figure("failover: first step started %.3f s after the request (journal of %d steps written first)",
                    seconds(Duration.between(run.startedAt(), first).toNanos()), run.steps().size());
            long bringUps = run.steps().stream().filter(s -> s.kind() == StepKind.BRING_UP).count();
            figure("failover: mean bring-up step %.3f s (call, then polls every %d ms until ready)",
                    run.steps().stream().filter(s -> s.kind() == StepKind.BRING_UP)
                            .mapToLong(s -> s.duration().toNanos()).sum() / 1e9 / bringUps, pollMillis);
            dr.stop();
            inventory.deactivate();
        } finally {
            pool.shutdownNow();
        }
    }
}
