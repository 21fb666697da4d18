package org.tianshu.dr;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.dr.DrAdminService;
import org.tianshu.api.dr.DrOperation;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.DrService;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.RecoveryPlan;
import org.tianshu.api.dr.RecoveryReport;
import org.tianshu.api.dr.ReplicationStatus;
import org.tianshu.api.dr.ScheduledDrill;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.tenancy.DepartmentService;

/** Disaster recovery: validation and storage of groups and plans, replication, and the run engine. */
public class DisasterRecovery implements DrService, DrAdminService {
    private final DrStore store;
    private final CloudService clouds;
    private final DepartmentService departments;
    private final DrValidation validation;
    private final Replicator replicator;
    private final DrEngine engine;
    private volatile DrillSchedule drills = new DrillSchedule(List.of(), java.time.Clock.systemDefaultZone());
    private volatile java.nio.file.Path reportFont = java.nio.file.Path.of(DrPdf.DEFAULT_FONT);

    /**
     * @param concurrency calls in flight at once against each cloud
     * @param perCloud exceptions to {@code concurrency}, by cloud id
     */
    public DisasterRecovery(DataSource dataSource, CloudService clouds, DepartmentService departments, Executor executor,
            DrEngine.Settings settings, int concurrency, java.util.Map<String, Integer> perCloud,
            Supplier<EventPublisher> events) {
        this(dataSource, clouds, departments, executor, settings, concurrency, perCloud, events, points -> { });
    }

    /**
     * @param concurrency calls in flight at once against each cloud
     * @param perCloud exceptions to {@code concurrency}, by cloud id
     * @param metrics where measurements go ({@code dr_rpo}, {@code dr_run}, {@code dr_step}); must not block
     */
    public DisasterRecovery(DataSource dataSource, CloudService clouds, DepartmentService departments, Executor executor,
            DrEngine.Settings settings, int concurrency, java.util.Map<String, Integer> perCloud,
            Supplier<EventPublisher> events, java.util.function.Consumer<List<MetricPoint>> metrics) {
        DrMetrics measured = new DrMetrics(metrics);
        this.store = new DrStore(dataSource);
        this.clouds = clouds;
        this.departments = departments;
        this.validation = new DrValidation(clouds, store);
        CloudGate gate = new CloudGate(concurrency, perCloud);
        this.replicator = new Replicator(store, clouds, gate, events, measured);
        this.engine = new DrEngine(store, replicator, gate, executor, settings, events, measured);
    }

    /** Resumes runs cut short by a stop or crash; returns how many. */
    public int recover() {
        return engine.recover();
    }

    /** Stops driving runs; what is in flight runs again on the next {@link #recover()}. */
    public void stop() {
        engine.stop();
    }

    /**
     * Drills plans on a schedule: {@code entries} are {@code plan=cron expression} or {@code plan=ISO-8601 interval};
     * INVALID naming {@code key} (nothing scheduled) when one is bad.
     */
    public void scheduleDrills(ScheduledExecutorService executor, String key, String[] entries, java.time.Clock clock) {
        DrillSchedule parsed = new DrillSchedule(DrillSchedule.parse(key, entries), clock);
        drills = parsed;
        parsed.start(executor, this);
    }

    /**
     * The TrueType font ({@code .ttf}, or the first of a {@code .ttc}) PDF reports embed for their values, by default
     * {@value DrPdf#DEFAULT_FONT}; null: Helvetica, which prints Chinese as '?'. Warns when the file is missing.
     */
    public void reportFont(java.nio.file.Path font) {
        if (font != null) {
            DrPdf.readable(font);
        }
        reportFont = font;
    }

    /** One replication pass over every group (run periodically by the component). */
    public void replicateAll() {
        replicator.pass();
    }

    // ------------------------------------------------------------ read

    @Override
    public List<ProtectionGroup> groups(Caller caller) {
        return store.groups().stream().map(DrStore.Group::group).filter(g -> caller.canAccess(g.departmentId())).toList();
    }

    @Override
    public ProtectionGroup group(String id, Caller caller) {
        return visible("groupId", id, caller).group();
    }

    private DrStore.Group visible(String field, String groupId, Caller caller) {
        DrStore.Group g = store.group(groupId).filter(x -> caller.canAccess(x.group().departmentId()))
                .orElseThrow(() -> TianshuException.notFound(field, "protection group", groupId));
        return g;
    }

    @Override
    public List<RecoveryPlan> plans(String groupId, Caller caller) {
        if (groupId != null) {
            visible("groupId", groupId, caller);
        }
        return store.plans(groupId).stream().filter(p -> store.group(p.groupId())
                .map(g -> caller.canAccess(g.group().departmentId())).orElse(false)).toList();
    }

    @Override
    public RecoveryPlan plan(String id, Caller caller) {
        RecoveryPlan p = store.plan(id).orElseThrow(() -> TianshuException.notFound("planId", "recovery plan", id));
        visible("planId", p.groupId(), caller);
        return p;
    }

    @Override
    public List<DrRun> runs(String planId, Caller caller) {
        plan(planId, caller);
        return store.runs(planId);
    }

    @Override
    public DrRun run(String id, Caller caller) {
        DrRun r = store.run(id).orElseThrow(() -> TianshuException.notFound("runId", "DR run", id));
        visible("runId", r.groupId(), caller);
        return r;
    }

    @Override
    public DrRun await(String runId, Duration timeout, Caller caller) {
        long deadline = System.nanoTime() + timeout.toNanos();
        run(runId, caller);
        while (!store.header(runId).state().settled() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return run(runId, caller);
    }

    @Override
    public ReplicationStatus replication(String groupId, Caller caller) {
        visible("groupId", groupId, caller);
        return replicator.status(groupId);
    }

    @Override
    public RecoveryReport report(String runId, Caller caller) {
        return DrReports.report(run(runId, caller), engine.cloudWait(runId));
    }

    @Override
    public String reportHtml(String runId, Caller caller) {
        RecoveryReport r = report(runId, caller);
        ProtectionGroup g = store.requireGroup("groupId", r.run().groupId()).group();
        return DrReports.html(r, g.name() + " (" + g.id() + ")", g.protectedCloudId(), g.recoveryCloudId());
    }

    @Override
    public byte[] reportPdf(String runId, Caller caller) {
        RecoveryReport r = report(runId, caller);
        ProtectionGroup g = store.requireGroup("groupId", r.run().groupId()).group();
        return DrPdf.render(r, reportFont, g.name() + " (" + g.id() + ")", g.protectedCloudId(), g.recoveryCloudId());
    }

    @Override
    public List<ScheduledDrill> scheduledDrills(Caller caller) {
        DrillSchedule d = drills;
        List<ScheduledDrill> result = new java.util.ArrayList<>();
        for (DrillSchedule.Entry e : d.entries()) {
            Optional<RecoveryPlan> plan = store.plan(e.planId());
            boolean visible = plan.isPresent() ? store.group(plan.get().groupId())
                    .map(g -> caller.canAccess(g.group().departmentId())).orElse(false)
                    : caller.roles().contains(Caller.ADMIN);
            if (visible) {
                List<DrRun> history = plan.isEmpty() ? List.of() : store.runs(e.planId()).stream()
                        .filter(r -> r.operation() == DrOperation.DRILL
                                && DrillSchedule.CALLER.name().equals(r.requestedBy())).toList();
                result.add(new ScheduledDrill(e.planId(), e.schedule(), d.next(e, 5), history));
            }
        }
        return result;
    }

    // ------------------------------------------------------------ write

    @Override
    public ProtectionGroup createGroup(ProtectionGroup group, Caller caller) {
        if (group != null && group.departmentId() != null) {
            caller.checkAccess(group.departmentId());
        }
        validation.group(group);
        try {
            departments.get(group.departmentId());
        } catch (TianshuException e) {
            throw e.kind() == TianshuException.Kind.NOT_FOUND
                    ? TianshuException.notFound("departmentId", "department", group.departmentId()) : e;
        }
        try {
            store.jdbc.tx(c -> {
                store.insertGroup(group, Instant.now());
                return null;
            });
        } catch (RuntimeException e) {
            if (org.tianshu.persistence.Jdbc.isDuplicateKey(e)) {
                // a concurrent request won: same checks, now against what it stored
                validation.group(group);
            }
            throw e;
        }
        return store.requireGroup("id", group.id()).group();
    }

    @Override
    public void deleteGroup(String id, Caller caller) {
        DrStore.Group g = visible("groupId", id, caller);
        if (g.activeRun() != null) {
            throw TianshuException.conflict("groupId", "protection group '" + id + "' is held by run " + g.activeRun());
        }
        store.deleteGroup(id);
    }

    @Override
    public RecoveryPlan createPlan(RecoveryPlan plan, Caller caller) {
        if (plan == null) {
            throw TianshuException.invalid("plan", "a recovery plan is required");
        }
        org.tianshu.api.Validation.id("id", plan.id());
        org.tianshu.api.Validation.required("groupId", plan.groupId());
        DrStore.Group g = visible("groupId", plan.groupId(), caller);
        validation.plan(plan, g.group());
        if (store.plan(plan.id()).isPresent()) {
            throw TianshuException.conflict("id", "recovery plan '" + plan.id() + "' already exists");
        }
        store.insertPlan(plan, Instant.now());
        return store.requirePlan(plan.id());
    }

    @Override
    public void deletePlan(String id, Caller caller) {
        RecoveryPlan p = plan(id, caller);
        DrStore.Group g = store.requireGroup("groupId", p.groupId());
        if (g.activeRun() != null && store.header(g.activeRun()).planId().equals(id)) {
            throw TianshuException.conflict("planId", "recovery plan '" + id + "' is running (" + g.activeRun() + ")");
        }
        store.deletePlan(id);
    }

    @Override
    public ReplicationStatus replicate(String groupId, Caller caller) {
        visible("groupId", groupId, caller);
        return replicator.replicate(groupId);
    }

    @Override
    public DrRun start(String planId, DrOperation operation, boolean confirmed, Caller caller) {
        plan(planId, caller);
        return engine.start(planId, operation, confirmed, caller);
    }

    @Override
    public DrRun cleanup(String drillRunId, Caller caller) {
        run(drillRunId, caller);
        return engine.cleanup(drillRunId, caller);
    }
}
