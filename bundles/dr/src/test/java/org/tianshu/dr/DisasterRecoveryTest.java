package org.tianshu.dr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.dr.DrOperation;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.DrStep;
import org.tianshu.api.dr.GroupState;
import org.tianshu.api.dr.Hook;
import org.tianshu.api.dr.HookKind;
import org.tianshu.api.dr.NetworkMapping;
import org.tianshu.api.dr.PlanWorkload;
import org.tianshu.api.dr.ProtectedWorkload;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.RecoveryPlan;
import org.tianshu.api.dr.RecoveryReport;
import org.tianshu.api.dr.ReplicationStatus;
import org.tianshu.api.dr.RunState;
import org.tianshu.api.dr.ScheduledDrill;
import org.tianshu.api.dr.StepKind;
import org.tianshu.api.dr.StepState;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.testing.InMemoryCloudDriver;
import org.tianshu.inventory.InventoryComponent;
import org.tianshu.persistence.Database;
import org.tianshu.quota.Departments;

/** The DR engine on H2 and two in-memory clouds (production chengdu, recovery mianyang). */
class DisasterRecoveryTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String PROD = "chengdu-k8s";
    static final String DR = "mianyang-k8s";

    @TempDir
    Path dir;
    Database db;
    InventoryComponent inventory;
    InMemoryCloudDriver k8s = new InMemoryCloudDriver(CloudKind.KUBERNETES);
    InMemoryCloudDriver.World prod;
    InMemoryCloudDriver.World recovery;
    Departments departments;
    ExecutorService executor;
    DisasterRecovery dr;
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    /** What the engine recorded as measurements (a recording metrics sink). */
    final List<MetricPoint> points = Collections.synchronizedList(new ArrayList<>());
    Map<String, String> ids = new HashMap<>();

    @BeforeEach
    void setUp() {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000", "sa", "", 10);
        inventory = new InventoryComponent(db.dataSource(), 0, 1);
        inventory.addDriver(k8s);
        inventory.addDriver(new InMemoryCloudDriver(CloudKind.OPENSTACK));
        inventory.putCredentials(new Credentials("lab", Map.of()), Caller.SYSTEM);
        inventory.register(new Cloud(PROD, null, CloudKind.KUBERNETES, "成都", null, 3, false, "http://cd:6443", "lab", Map.of()),
                Caller.SYSTEM);
        inventory.register(new Cloud(DR, null, CloudKind.KUBERNETES, "绵阳", null, 3, false, "http://my:6443", "lab", Map.of()),
                Caller.SYSTEM);
        inventory.register(new Cloud("chengdu-os", null, CloudKind.OPENSTACK, "成都", "RegionOne", 3, false, "http://os:5000/v3",
                "lab", Map.of()), Caller.SYSTEM);
        prod = k8s.world("http://cd:6443");
        recovery = k8s.world("http://my:6443");
        departments = new Departments(db.dataSource());
        departments.create(new Department("health", "省卫生健康委", null), Caller.SYSTEM);
        var session = inventory.session(PROD);
        for (String name : List.of("db", "app", "web", "batch")) {
            ids.put(name, session.create(WorkloadSpec.container(name, "health", "nginx", 1, 100, 128, 0, "deployment"),
                    "req-" + name));
            session.state(ids.get(name));
            session.state(ids.get(name));
        }
        dr = engine();
    }

    DisasterRecovery engine() {
        executor = Executors.newFixedThreadPool(8);
        return new DisasterRecovery(db.dataSource(), inventory, departments, executor,
                new DrEngine.Settings(Duration.ofMillis(5), Duration.ofSeconds(5), 2, Duration.ofMillis(10)), 4, Map.of(),
                () -> events::add, points::addAll);
    }

    /** The recorded points of {@code measurement} once there are {@code n} (a run's point follows its settling). */
    List<MetricPoint> points(String measurement, int n) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (points(measurement).size() < n && System.nanoTime() < end) {
            sleep(10);
        }
        return points(measurement);
    }

    /** The recorded points of {@code measurement}. */
    List<MetricPoint> points(String measurement) {
        synchronized (points) {
            return points.stream().filter(p -> p.measurement().equals(measurement)).toList();
        }
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
        inventory.deactivate();
        db.close();
    }

    ProtectionGroup group(String id, String... names) {
        List<ProtectedWorkload> w = new ArrayList<>();
        for (String n : names) {
            w.add(new ProtectedWorkload(n, ids.get(n)));
        }
        return ProtectionGroup.of(id, "health", PROD, DR, w, 600);
    }

    static Hook script(String name, String command, long timeout) {
        return new Hook(name, HookKind.SCRIPT, command, timeout);
    }

    /** db (priority 1) <- app (2) <- web (3), a check per tier and one for the plan. */
    RecoveryPlan threeTier(String id, boolean autoCleanup) {
        return new RecoveryPlan(id, "portal", List.of(
                new PlanWorkload("db", 1, List.of(), List.of(script("db-up", "test -n \"$TIANSHU_DR_WORKLOAD\"", 5))),
                new PlanWorkload("app", 2, List.of("db"), List.of()),
                new PlanWorkload("web", 3, List.of("app"), List.of(script("web-up", "echo ${workload} in ${network}", 5)))),
                List.of(script("smoke", "true", 5)), List.of(), "portal-drill", autoCleanup);
    }

    void setUpPortal(boolean autoCleanup) {
        dr.createGroup(group("portal", "db", "app", "web"), Caller.SYSTEM);
        dr.createPlan(threeTier("portal-plan", autoCleanup), Caller.SYSTEM);
        dr.replicate("portal", Caller.SYSTEM);
    }

    static Map<String, Workload> fingerprint(InMemoryCloudDriver.World w) {
        return new HashMap<>(w.workloads);
    }

    static DrStep step(DrRun run, StepKind kind, String workload) {
        return run.steps().stream().filter(s -> s.kind() == kind && java.util.Objects.equals(workload, s.workload()))
                .findFirst().orElseThrow();
    }

    static DrStep barrier(DrRun run, int priority) {
        return run.steps().stream().filter(s -> s.kind() == StepKind.GROUP_UP && s.priority() == priority).findFirst()
                .orElseThrow();
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void badGroupsAreRejectedNamingTheFieldAndNothingIsCreated() {
        assertThatThrownBy(() -> dr.createGroup(ProtectionGroup.of("g", "health", PROD, PROD,
                List.of(new ProtectedWorkload("db", ids.get("db"))), 60), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("recoveryCloudId"));
        assertThatThrownBy(() -> dr.createGroup(ProtectionGroup.of("g", "health", PROD, DR,
                List.of(new ProtectedWorkload("db", "health/deployment/nope")), 60), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
                    assertThat(e.field()).isEqualTo("workloads[0].externalId");
                });
        assertThatThrownBy(() -> dr.createGroup(ProtectionGroup.of("g", "health", PROD, "chengdu-os",
                List.of(new ProtectedWorkload("db", ids.get("db"))), 60), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("recoveryCloudId"));
        assertThatThrownBy(() -> dr.createGroup(ProtectionGroup.of("g", "health", PROD, "nowhere",
                List.of(new ProtectedWorkload("db", ids.get("db"))), 60), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("recoveryCloudId"));
        assertThat(dr.groups(Caller.SYSTEM)).isEmpty();

        dr.createGroup(group("portal", "db", "app"), Caller.SYSTEM);
        assertThatThrownBy(() -> dr.createGroup(group("other", "batch", "app"), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
                    assertThat(e.field()).isEqualTo("workloads[1].externalId");
                    assertThat(e.getMessage()).contains("portal");
                });
        assertThat(dr.groups(Caller.SYSTEM)).extracting(ProtectionGroup::id).containsExactly("portal");
    }

    @Test
    void badPlansAreRejectedNamingTheFieldAndNothingIsCreated() {
        dr.createGroup(group("portal", "db", "app", "web"), Caller.SYSTEM);
        RecoveryPlan cycle = new RecoveryPlan("p", "portal", List.of(
                new PlanWorkload("db", 1, List.of("web"), List.of()),
                new PlanWorkload("app", 1, List.of("db"), List.of()),
                new PlanWorkload("web", 1, List.of("app"), List.of())), List.of(), List.of(), "drill", true);
        assertThatThrownBy(() -> dr.createPlan(cycle, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.field()).isEqualTo("workloads[1].dependsOn");
                    assertThat(e.getMessage()).contains("dependency cycle: app -> db -> web -> app");
                });
        RecoveryPlan unknown = new RecoveryPlan("p", "portal", List.of(
                new PlanWorkload("db", 1, List.of(), List.of()), new PlanWorkload("app", 2, List.of(), List.of()),
                new PlanWorkload("web", 3, List.of(), List.of()), new PlanWorkload("mail", 3, List.of(), List.of())),
                List.of(), List.of(), "drill", true);
        assertThatThrownBy(() -> dr.createPlan(unknown, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("workloads[3].workload"));
        RecoveryPlan later = new RecoveryPlan("p", "portal", List.of(
                new PlanWorkload("db", 1, List.of("web"), List.of()), new PlanWorkload("app", 2, List.of(), List.of()),
                new PlanWorkload("web", 3, List.of(), List.of())), List.of(), List.of(), "drill", true);
        assertThatThrownBy(() -> dr.createPlan(later, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("workloads[0].dependsOn"));
        RecoveryPlan priority = new RecoveryPlan("p", "portal", List.of(
                new PlanWorkload("db", 6, List.of(), List.of()), new PlanWorkload("app", 2, List.of(), List.of()),
                new PlanWorkload("web", 3, List.of(), List.of())), List.of(), List.of(), "drill", true);
        assertThatThrownBy(() -> dr.createPlan(priority, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("workloads[0].priority"));
        RecoveryPlan hook = new RecoveryPlan("p", "portal", threeTier("x", true).workloads(),
                List.of(new Hook("probe", HookKind.HTTP, "ftp://x", 5)), List.of(), "drill", true);
        assertThatThrownBy(() -> dr.createPlan(hook, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("hooks[0].target"));
        assertThat(dr.plans(null, Caller.SYSTEM)).isEmpty();
    }

    @Test
    void ipCustomisationIsCheckedFieldByFieldAndRefusedWhereTheCloudAssignsAddresses() {
        dr.createGroup(group("portal", "db", "app", "web"), Caller.SYSTEM);
        List<Map.Entry<String, NetworkMapping>> bad = List.of(
                Map.entry("networks[0].recoveryCidr", new NetworkMapping("health", "health", null, "10.77.0.0/33", Map.of())),
                Map.entry("networks[0].productionCidr", new NetworkMapping("health", "health", "10.10.0.1/24", "10.77.0.0/24",
                        Map.of())),
                Map.entry("networks[0].recoveryCidr", new NetworkMapping("health", "health", "10.10.0.0/24", null, Map.of())),
                Map.entry("networks[0].recoveryCidr", new NetworkMapping("health", "health", "10.10.0.0/16", "10.77.0.0/24",
                        Map.of())),
                Map.entry("networks[0].addresses.db", new NetworkMapping("health", "health", null, "10.77.0.0/24",
                        Map.of("db", "10.78.0.5"))),
                Map.entry("networks[0].addresses.mail", new NetworkMapping("health", "health", null, "10.77.0.0/24",
                        Map.of("mail", "10.77.0.5"))));
        for (var e : bad) {
            RecoveryPlan p = new RecoveryPlan("p", "portal", threeTier("x", true).workloads(), List.of(),
                    List.of(e.getValue()), "drill", true);
            assertThatThrownBy(() -> dr.createPlan(p, Caller.SYSTEM)).as(e.getValue().toString())
                    .isInstanceOfSatisfying(TianshuException.class, x -> {
                        assertThat(x.kind()).isEqualTo(TianshuException.Kind.INVALID);
                        assertThat(x.field()).isEqualTo(e.getKey());
                    });
        }
        // well-formed, but Kubernetes assigns pod addresses itself: refused, naming the cloud's kind
        RecoveryPlan k8s = new RecoveryPlan("p", "portal", threeTier("x", true).workloads(), List.of(),
                List.of(new NetworkMapping("health", "health", "10.10.0.0/24", "10.77.0.0/24", Map.of("db", "10.77.0.5"))),
                "drill", true);
        assertThatThrownBy(() -> dr.createPlan(k8s, Caller.SYSTEM)).isInstanceOfSatisfying(TianshuException.class, x -> {
            assertThat(x.field()).isEqualTo("networks[0].recoveryCidr");
            assertThat(x.getMessage()).contains(DR, "kubernetes", "assigns workload addresses itself");
        });
        assertThat(dr.plans(null, Caller.SYSTEM)).isEmpty();
        // names only: accepted
        dr.createPlan(new RecoveryPlan("p", "portal", threeTier("x", true).workloads(), List.of(),
                List.of(new NetworkMapping("health", "health-dr")), "drill", true), Caller.SYSTEM);
        assertThat(dr.plans(null, Caller.SYSTEM)).hasSize(1);
    }

    // ---------------------------------------------------------------- replication

    @Test
    void replicationMeasuresRpoAndRaisesAnEventOnceWhenItIsExceeded() {
        dr.createGroup(group("portal", "db", "app", "web"), Caller.SYSTEM);
        ReplicationStatus none = dr.replication("portal", Caller.SYSTEM);
        assertThat(none.exceeded()).isTrue();
        assertThat(none.rpoSeconds()).isEqualTo(-1);

        ReplicationStatus fresh = dr.replicate("portal", Caller.SYSTEM);
        assertThat(fresh.exceeded()).isFalse();
        assertThat(fresh.copies()).containsOnlyKeys("db", "app", "web");
        assertThat(recovery.workloads.values()).hasSize(3).allMatch(w -> w.state() == WorkloadState.STOPPED);

        new org.tianshu.persistence.Jdbc(db.dataSource()).update("UPDATE dr_copy SET consistent_at = ? WHERE name = 'app'",
                Instant.now().minusSeconds(3600));
        dr.replicateAll();
        assertThat(events).noneMatch(e -> e.type() == EventType.PROTECTION_RPO_EXCEEDED);
        new org.tianshu.persistence.Jdbc(db.dataSource()).update("UPDATE dr_copy SET consistent_at = ? WHERE name = 'app'",
                Instant.now().minusSeconds(3600));
        dr.stop();
        ReplicationStatus stale = dr.replication("portal", Caller.SYSTEM);
        assertThat(stale.exceeded()).isTrue();
        assertThat(stale.rpoSeconds()).isGreaterThanOrEqualTo(3600);
        // the component's pass would copy again; checking alone raises the event, once
        DisasterRecovery checker = dr;
        new Replicator(new DrStore(db.dataSource()), inventory, new CloudGate(1, Map.of()), () -> events::add,
                new DrMetrics(points::addAll)).check("portal");
        new Replicator(new DrStore(db.dataSource()), inventory, new CloudGate(1, Map.of()), () -> events::add,
                new DrMetrics(points::addAll)).check("portal");
        assertThat(events).filteredOn(e -> e.type() == EventType.PROTECTION_RPO_EXCEEDED).hasSize(1)
                .first().satisfies(e -> assertThat(e.subject()).isEqualTo("dr-group/portal"));
        assertThat(checker.replicate("portal", Caller.SYSTEM).exceeded()).isFalse();
    }

    // ---------------------------------------------------------------- drill

    @Test
    void drillBringsCopiesUpIsolatedInPriorityOrderRunsChecksCleansUpAndNeverTouchesProduction() {
        setUpPortal(true);
        Map<String, Workload> production = fingerprint(prod);
        Map<String, Workload> copies = fingerprint(recovery);

        DrRun drill = dr.await(dr.start("portal-plan", DrOperation.DRILL, false, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
        // TEST_COMPLETE, or SUCCEEDED once the automatic cleanup has run
        assertThat(drill.state()).isIn(RunState.TEST_COMPLETE, RunState.SUCCEEDED);
        assertThat(drill.network()).isEqualTo("portal-drill");
        assertThat(drill.steps()).allMatch(s -> s.state() == StepState.DONE && s.duration() != null);
        assertThat(step(drill, StepKind.BRING_UP, "db").detail()).isEqualTo("portal-drill/db");
        assertThat(step(drill, StepKind.CHECK, "web").detail()).contains("web in portal-drill");
        // a priority group starts when the previous one is up
        assertThat(step(drill, StepKind.BRING_UP, "app").startedAt()).isAfterOrEqualTo(barrier(drill, 1).finishedAt());
        assertThat(step(drill, StepKind.BRING_UP, "web").startedAt()).isAfterOrEqualTo(barrier(drill, 2).finishedAt());
        assertThat(barrier(drill, 1).finishedAt()).isAfterOrEqualTo(step(drill, StepKind.CHECK, "db").finishedAt());

        RecoveryReport report = dr.report(drill.id(), Caller.SYSTEM);
        assertThat(report.rto()).isPositive();
        assertThat(report.rtoByPriority()).containsOnlyKeys(1, 2, 3);
        assertThat(report.rtoByPriority().get(3)).isGreaterThanOrEqualTo(report.rtoByPriority().get(1));
        assertThat(report.achievedRpo()).isNotNull();
        assertThat(dr.reportHtml(drill.id(), Caller.SYSTEM)).contains("Measured RTO", "RTO of priority group 3",
                "portal-drill/web", "exit 0: web in portal-drill");
        assertPdfReport(dr.reportPdf(drill.id(), Caller.SYSTEM), dr.run(drill.id(), Caller.SYSTEM), report);

        // automatic cleanup
        DrRun cleanup = awaitLatest("portal-plan", DrOperation.CLEANUP);
        assertThat(cleanup.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(cleanup.steps()).extracting(DrStep::kind).containsOnly(StepKind.REMOVE, StepKind.DROP_NETWORK);
        assertThat(dr.run(drill.id(), Caller.SYSTEM).state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(recovery.isolated).isEmpty();

        assertThat(fingerprint(prod)).isEqualTo(production);
        assertThat(fingerprint(recovery)).isEqualTo(copies);
        assertThat(dr.group("portal", Caller.SYSTEM).state()).isEqualTo(GroupState.PROTECTED);
        assertThat(events).anyMatch(e -> e.type() == EventType.DR_STEP_FINISHED && "BRING_UP".equals(e.attributes().get("kind")));
    }

    /** The PDF parses and shows the plan, the measured RTO and every step with its outcome. */
    static void assertPdfReport(byte[] pdf, DrRun run, RecoveryReport report) {
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
            assertThat(doc.getDocumentInformation().getTitle()).contains(run.id());
            assertThat(text).contains("Recovery plan " + run.planId(), "Measured RTO " + DrReports.seconds(report.rto()),
                    "RTO of priority group 3");
            List<String> lines = text.lines().toList();
            for (DrStep s : run.steps()) {
                String start = s.seq() + " " + s.kind().name().toLowerCase() + (s.workload() == null ? "" : " " + s.workload());
                assertThat(lines).as("step %s", s).anySatisfy(l -> assertThat(l).startsWith(start).contains(s.state().name()));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    DrRun awaitLatest(String plan, DrOperation op) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            DrRun r = dr.runs(plan, Caller.SYSTEM).stream().filter(x -> x.operation() == op).findFirst().orElse(null);
            if (r != null && r.state().settled()) {
                return r;
            }
            sleep(20);
        }
        throw new AssertionError("no settled " + op + " run of " + plan);
    }

    @Test
    void oneOperationPerGroupFailoverNeedsConfirmationAndCleanupOnCommand() {
        setUpPortal(false);
        DrRun drill = dr.await(dr.start("portal-plan", DrOperation.DRILL, false, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
        assertThat(drill.state()).isEqualTo(RunState.TEST_COMPLETE);
        assertThatThrownBy(() -> dr.start("portal-plan", DrOperation.PLANNED_MIGRATION, false, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
                    assertThat(e.getMessage()).contains(drill.id(), "drill");
                });
        assertThatThrownBy(() -> dr.start("portal-plan", DrOperation.FAILOVER, false, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("confirmed"));
        assertThat(recovery.isolated).containsExactly("portal-drill");

        DrRun cleanup = dr.await(dr.cleanup(drill.id(), Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
        assertThat(cleanup.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(recovery.isolated).isEmpty();
        assertThatThrownBy(() -> dr.cleanup(drill.id(), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("runId"));
    }

    @Test
    void aFailingHookTimesOutFailsTheRunAndSkipsWhatNeedsIt() {
        dr.createGroup(group("portal", "db", "app", "web"), Caller.SYSTEM);
        dr.createPlan(new RecoveryPlan("slow", "portal", List.of(
                new PlanWorkload("db", 1, List.of(), List.of(script("hang", "sleep 10", 1))),
                new PlanWorkload("app", 2, List.of(), List.of()), new PlanWorkload("web", 3, List.of(), List.of())),
                List.of(), List.of(), "slow-drill", false), Caller.SYSTEM);
        dr.replicate("portal", Caller.SYSTEM);
        DrRun run = dr.await(dr.start("slow", DrOperation.DRILL, false, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
        assertThat(run.state()).as(run.steps().toString()).isEqualTo(RunState.FAILED);
        assertThat(step(run, StepKind.CHECK, "db").state()).isEqualTo(StepState.FAILED);
        assertThat(step(run, StepKind.CHECK, "db").detail()).contains("hang", "timed out after 1 s");
        assertThat(step(run, StepKind.CHECK, "db").duration()).isLessThan(Duration.ofSeconds(5));
        assertThat(step(run, StepKind.BRING_UP, "app").state()).isEqualTo(StepState.SKIPPED);
        assertThat(run.error()).contains("hang");
        assertThat(points("dr_step")).anySatisfy(p -> {
            assertThat(p.tags()).containsEntry("step", "CHECK").containsEntry("workload", "db");
            assertThat(p.fields()).containsEntry("outcome", "FAILED");
        }).anySatisfy(p -> {
            assertThat(p.tags()).containsEntry("step", "BRING_UP").containsEntry("workload", "app");
            assertThat(p.fields()).containsEntry("outcome", "SKIPPED").containsEntry("seconds", 0.0);
        });
        assertThat(points("dr_run", 1)).singleElement().satisfies(p -> assertThat(p.tags()).containsEntry("outcome", "FAILED"));
        // the failed drill still holds the group until it is cleaned up
        assertThat(dr.await(dr.start("slow", DrOperation.CLEANUP, false, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM).state())
                .isEqualTo(RunState.SUCCEEDED);
        assertThat(recovery.workloads.keySet()).noneMatch(k -> k.startsWith("slow-drill/"));
    }

    // ---------------------------------------------------------------- metrics

    @Test
    void rpoRunsAndStepsAreRecordedAsMeasurements() {
        setUpPortal(false);
        assertThat(points("dr_rpo")).last().satisfies(p -> {
            assertThat(p.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("group", "portal", "protected", PROD,
                    "recovery", DR));
            assertThat(p.fields()).containsEntry("target_s", 600L).containsEntry("exceeded", false);
            assertThat((Long) p.fields().get("rpo_s")).isBetween(0L, 60L);
        });
        DrRun drill = dr.await(dr.start("portal-plan", DrOperation.DRILL, false, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
        assertThat(drill.state()).isEqualTo(RunState.TEST_COMPLETE);
        RecoveryReport report = dr.report(drill.id(), Caller.SYSTEM);

        assertThat(points("dr_run", 1)).singleElement().satisfies(p -> {
            assertThat(p.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("plan", "portal-plan", "group", "portal",
                    "operation", "DRILL", "outcome", "TEST_COMPLETE"));
            assertThat(p.fields()).containsEntry("steps", drill.steps().size());
            assertThat((Double) p.fields().get("rto_s")).isCloseTo(report.rto().toNanos() / 1e9, within(0.001));
        });
        // one point per step, each with the step's journalled duration
        List<MetricPoint> steps = points("dr_step");
        assertThat(steps).hasSize(drill.steps().size());
        for (DrStep s : drill.steps()) {
            assertThat(steps).filteredOn(p -> p.tags().get("step").equals(s.kind().name())
                    && p.tags().get("priority").equals(String.valueOf(s.priority()))
                    && java.util.Objects.equals(p.tags().get("workload"), s.workload()))
                    .as("step %s", s).anySatisfy(p -> {
                        assertThat(p.tags()).containsEntry("plan", "portal-plan").containsEntry("operation", "DRILL");
                        assertThat(p.fields()).containsEntry("outcome", "DONE");
                        assertThat((Double) p.fields().get("seconds")).isCloseTo(s.duration().toNanos() / 1e9, within(0.001));
                    });
        }

        // a failing sink never fails the DR work
        executor.shutdownNow();
        executor = Executors.newFixedThreadPool(8);
        DisasterRecovery broken = new DisasterRecovery(db.dataSource(), inventory, departments, executor,
                new DrEngine.Settings(Duration.ofMillis(5), Duration.ofSeconds(5), 2, Duration.ofMillis(10)), 4, Map.of(),
                () -> events::add, p -> {
                    throw new IllegalStateException("sink down");
                });
        assertThat(broken.await(broken.start("portal-plan", DrOperation.CLEANUP, false, Caller.SYSTEM).id(), WAIT,
                Caller.SYSTEM).state()).isEqualTo(RunState.SUCCEEDED);
    }

    // ---------------------------------------------------------------- migration, reprotect, failback

    @Test
    void plannedMigrationReprotectAndFailbackRoundTrip() {
        setUpPortal(true);
        DrRun migration = dr.await(dr.start("portal-plan", DrOperation.PLANNED_MIGRATION, false, Caller.SYSTEM).id(), WAIT,
                Caller.SYSTEM);
        assertThat(migration.state()).as(String.valueOf(migration.error())).isEqualTo(RunState.SUCCEEDED);
        assertThat(dr.group("portal", Caller.SYSTEM).state()).isEqualTo(GroupState.RECOVERED);
        assertThat(prod.workloads.get(ids.get("db")).state()).isEqualTo(WorkloadState.STOPPED);
        assertThat(recovery.workloads.get("health/db").state()).isEqualTo(WorkloadState.ACTIVE);
        assertThat(step(migration, StepKind.BRING_UP, "db").startedAt())
                .isAfterOrEqualTo(step(migration, StepKind.STOP, "db").finishedAt());
        assertThat(dr.report(migration.id(), Caller.SYSTEM).achievedRpo()).isLessThan(Duration.ofSeconds(1));

        assertThatThrownBy(() -> dr.start("portal-plan", DrOperation.FAILBACK, false, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("operation"));
        DrRun reprotect = dr.await(dr.start("portal-plan", DrOperation.REPROTECT, false, Caller.SYSTEM).id(), WAIT,
                Caller.SYSTEM);
        assertThat(reprotect.state()).isEqualTo(RunState.SUCCEEDED);
        ProtectionGroup reversed = dr.group("portal", Caller.SYSTEM);
        assertThat(reversed.protectedCloudId()).isEqualTo(DR);
        assertThat(reversed.recoveryCloudId()).isEqualTo(PROD);
        assertThat(reversed.workloads()).extracting(ProtectedWorkload::externalId).contains("health/db");
        assertThat(dr.replication("portal", Caller.SYSTEM).exceeded()).isFalse();
        // the old production copies are the ready copies now, stopped
        assertThat(prod.workloads.get("health/db").state()).isEqualTo(WorkloadState.STOPPED);

        DrRun failback = dr.await(dr.start("portal-plan", DrOperation.FAILBACK, false, Caller.SYSTEM).id(), WAIT,
                Caller.SYSTEM);
        assertThat(failback.state()).as(String.valueOf(failback.error())).isEqualTo(RunState.SUCCEEDED);
        ProtectionGroup home = dr.group("portal", Caller.SYSTEM);
        assertThat(home.protectedCloudId()).isEqualTo(PROD);
        assertThat(home.state()).isEqualTo(GroupState.PROTECTED);
        assertThat(prod.workloads.get("health/db").state()).isEqualTo(WorkloadState.ACTIVE);
        assertThat(recovery.workloads.get("health/db").state()).isEqualTo(WorkloadState.STOPPED);
        assertThat(dr.runs("portal-plan", Caller.SYSTEM)).extracting(DrRun::operation)
                .containsExactly(DrOperation.FAILBACK, DrOperation.REPROTECT, DrOperation.PLANNED_MIGRATION);
    }

    @Test
    void failoverAfterARestartResumesToACorrectEndWithoutDuplicates() throws Exception {
        setUpPortal(true);
        recovery.buildPolls = 1_000_000;
        DrRun started = dr.start("portal-plan", DrOperation.FAILOVER, true, Caller.SYSTEM);
        long end = System.nanoTime() + WAIT.toNanos();
        DrRun midway;
        while (step(midway = dr.run(started.id(), Caller.SYSTEM), StepKind.BRING_UP, "db").state() != StepState.RUNNING) {
            assertThat(System.nanoTime()).isLessThan(end);
            sleep(10);
        }
        sleep(50);
        // the runtime goes down mid-failover
        dr.stop();
        executor.shutdownNow();
        assertThat(dr.run(started.id(), Caller.SYSTEM).state()).isEqualTo(RunState.RUNNING);
        int bringUps = recovery.bringUps.get();
        assertThat(bringUps).isPositive();

        recovery.buildPolls = 1;
        dr = engine();
        assertThatThrownBy(() -> dr.start("portal-plan", DrOperation.DRILL, false, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT));
        assertThat(dr.recover()).isEqualTo(1);
        DrRun done = dr.await(started.id(), WAIT, Caller.SYSTEM);
        assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(RunState.SUCCEEDED);
        // the step cut short ran again (idempotently) and keeps the start the journal recorded before the crash
        assertThat(step(done, StepKind.BRING_UP, "db").startedAt()).isEqualTo(step(midway, StepKind.BRING_UP, "db").startedAt());
        assertThat(recovery.bringUps.get()).isGreaterThan(bringUps);
        assertThat(recovery.workloads.keySet()).containsExactlyInAnyOrder("health/db", "health/app", "health/web");
        assertThat(recovery.workloads.values()).allMatch(w -> w.state() == WorkloadState.ACTIVE);
        assertThat(prod.workloads.get(ids.get("web")).state()).isEqualTo(WorkloadState.STOPPED);
        assertThat(dr.group("portal", Caller.SYSTEM).state()).isEqualTo(GroupState.RECOVERED);
        assertThat(dr.report(done.id(), Caller.SYSTEM).cloudWait()).isNotNull();
    }

    @Test
    void failoverWithProductionUnreachableRecordsTheStopAndSucceeds() {
        setUpPortal(true);
        prod.reachable = false;
        DrRun run = dr.await(dr.start("portal-plan", DrOperation.FAILOVER, true, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
        assertThat(run.state()).as(String.valueOf(run.error())).isEqualTo(RunState.SUCCEEDED);
        assertThat(step(run, StepKind.STOP, "db").detail()).startsWith("production not stopped");
        assertThat(recovery.workloads.get("health/web").state()).isEqualTo(WorkloadState.ACTIVE);
    }

    @Test
    void scheduledDrillsJoinThePlanHistoryAndABusyGroupWaitsForTheNextStart() {
        setUpPortal(false);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            // Monday 2026-11-23 15:00 UTC: the next Sunday 02:00 is days away, nothing fires during the test
            Clock clock = Clock.fixed(Instant.parse("2026-11-23T15:00:00Z"), ZoneOffset.UTC);
            dr.scheduleDrills(timer, "drillSchedules", new String[] {"portal-plan=0 2 * * SUN", " ", "gone-plan=P7D"}, clock);
            DrillSchedule.tick(dr, "portal-plan");
            DrRun first = dr.runs("portal-plan", Caller.SYSTEM).get(0);
            assertThat(first.operation()).isEqualTo(DrOperation.DRILL);
            assertThat(first.requestedBy()).isEqualTo("drill-schedule");
            dr.await(first.id(), WAIT, Caller.SYSTEM);
            // the drill holds the group (no automatic cleanup): the next start is refused and logged
            DrillSchedule.tick(dr, "portal-plan");
            assertThat(dr.runs("portal-plan", Caller.SYSTEM)).hasSize(1);
            // a drill started by hand is history of the plan, not of the schedule
            dr.await(dr.start("portal-plan", DrOperation.CLEANUP, false, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);
            dr.await(dr.start("portal-plan", DrOperation.DRILL, false, Caller.SYSTEM).id(), WAIT, Caller.SYSTEM);

            List<ScheduledDrill> schedules = dr.scheduledDrills(Caller.SYSTEM);
            assertThat(schedules).extracting(ScheduledDrill::planId).containsExactly("portal-plan", "gone-plan");
            ScheduledDrill portal = schedules.get(0);
            assertThat(portal.schedule()).isEqualTo("0 2 * * SUN");
            assertThat(portal.nextRuns()).containsExactly(Instant.parse("2026-11-29T02:00:00Z"),
                    Instant.parse("2026-12-06T02:00:00Z"), Instant.parse("2026-12-13T02:00:00Z"),
                    Instant.parse("2026-12-20T02:00:00Z"), Instant.parse("2026-12-27T02:00:00Z"));
            assertThat(portal.history()).extracting(DrRun::id).containsExactly(first.id());
            // an interval counts from the start of the schedule
            assertThat(schedules.get(1).nextRuns()).first().isEqualTo(Instant.parse("2026-11-30T15:00:00Z"));
            assertThat(schedules.get(1).history()).isEmpty();
            assertThat(dr.scheduledDrills(new Caller("nurse", Set.of("dept-other")))).isEmpty();
        } finally {
            timer.shutdownNow();
        }
        assertThat(DrillSchedule.parse("drillSchedules", new String[] {"portal-plan=P7D"}))
                .extracting(DrillSchedule.Entry::every).containsExactly(Duration.ofDays(7));
        assertThatThrownBy(() -> DrillSchedule.parse("drillSchedules", new String[] {"portal-plan=PT5S"}))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("drillSchedules"));
        assertThatThrownBy(() -> DrillSchedule.parse("drillSchedules", new String[] {"portal-plan"}))
                .isInstanceOf(TianshuException.class);
        assertThatThrownBy(() -> dr.scheduleDrills(null, "drillSchedules", new String[] {"portal-plan=0 25 * * *"},
                Clock.systemUTC())).isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.field()).isEqualTo("drillSchedules");
                    assertThat(e.getMessage()).contains("hour field '25'");
                });
        assertThat(dr.scheduledDrills(Caller.SYSTEM)).hasSize(2);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
