package org.tianshu.dr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.dr.DrOperation;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.GroupState;
import org.tianshu.api.dr.Hook;
import org.tianshu.api.dr.NetworkMapping;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.RecoveryPlan;
import org.tianshu.api.dr.RunState;
import org.tianshu.api.dr.StepKind;
import org.tianshu.api.dr.StepState;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.event.EventType;

/**
 * Runs operations on recovery plans. A run's steps are written to the journal when it starts, and every
 * step's start and end is journalled; every step is idempotent, so {@link #recover()} carries runs cut
 * short by a stop or crash on to a correct end by running their unfinished steps again. One run holds a
 * protection group at a time (claimed in the same transaction that journals the run).
 */
public class DrEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DrEngine.class);

    /** Timings of the steps. */
    public record Settings(Duration pollInterval, Duration activeTimeout, int attempts, Duration retryDelay) {
    }

    private final DrStore store;
    private final Replicator replicator;
    private final CloudGate gate;
    private final Executor executor;
    private final Settings settings;
    private final Supplier<EventPublisher> events;
    private final DrMetrics metrics;
    private final Map<String, Driver> drivers = new ConcurrentHashMap<>();
    private final Map<String, BusyClock> clocks = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    DrEngine(DrStore store, Replicator replicator, CloudGate gate, Executor executor, Settings settings,
            Supplier<EventPublisher> events, DrMetrics metrics) {
        this.store = store;
        this.replicator = replicator;
        this.metrics = metrics;
        this.gate = gate;
        this.executor = executor;
        this.settings = settings;
        this.events = events;
    }

    /**
     * Carries on every run a stop or crash left RUNNING, and starts the cleanup of drills that should have
     * cleaned up by themselves; returns how many runs it resumed.
     */
    public int recover() {
        List<String> open = store.runsIn(RunState.RUNNING);
        open.forEach(this::drive);
        if (!open.isEmpty()) {
            LOG.info("resuming {} DR run(s) left unfinished", open.size());
        }
        for (DrStore.Group g : store.groups()) {
            if (g.activeRun() != null && !open.contains(g.activeRun())) {
                DrRun held = store.header(g.activeRun());
                if (held.operation() == DrOperation.DRILL && store.requirePlan(held.planId()).autoCleanup()) {
                    cleanup(held.id(), Caller.SYSTEM);
                }
            }
        }
        return open.size();
    }

    /** Stops driving runs (the runtime goes down): steps cut short are not journalled, so they run again on recovery. */
    public void stop() {
        stopping = true;
    }

    /** Starts {@code op} on {@code planId}, see {@link org.tianshu.api.dr.DrAdminService#start}. */
    DrRun start(String planId, DrOperation op, boolean confirmed, Caller caller) {
        if (op == null) {
            throw TianshuException.invalid("operation", "operation is required");
        }
        RecoveryPlan plan = store.requirePlan(planId);
        DrStore.Group row = store.requireGroup("groupId", plan.groupId());
        ProtectionGroup group = row.group();
        caller.checkAccess(group.departmentId());
        if (op == DrOperation.CLEANUP) {
            String drill = store.latestRun(planId, DrOperation.DRILL, RunState.TEST_COMPLETE)
                    .or(() -> Optional.ofNullable(row.activeRun()).filter(id -> store.header(id).operation() == DrOperation.DRILL))
                    .orElseThrow(() -> TianshuException.conflict("operation", "plan '" + planId + "' has no drill to clean up"));
            return cleanup(drill, caller);
        }
        if (op.needsConfirmation() && !confirmed) {
            throw TianshuException.invalid("confirmed", op.name().toLowerCase() + " changes production: confirm it explicitly");
        }
        GroupState needed = op == DrOperation.REPROTECT ? GroupState.RECOVERED : GroupState.PROTECTED;
        if (group.state() != needed) {
            throw TianshuException.conflict("operation", op.name().toLowerCase() + " needs protection group '" + group.id()
                    + "' " + needed.name().toLowerCase() + "; it is " + group.state().name().toLowerCase());
        }
        if (op == DrOperation.FAILBACK && group.protectedCloudId().equals(group.homeCloudId())) {
            throw TianshuException.conflict("operation", "protection group '" + group.id() + "' already runs on its home cloud '"
                    + group.homeCloudId() + "'; failback needs a failover (or migration) and a reprotect first");
        }
        String network = op == DrOperation.DRILL ? plan.testNetwork() : null;
        return launch(plan, group, op, network, null, StepPlanner.plan(op, plan, group, null), caller);
    }

    /** Starts the cleanup of drill {@code drillRunId}, which holds its group. */
    DrRun cleanup(String drillRunId, Caller caller) {
        DrRun drill = store.requireRun(drillRunId);
        RecoveryPlan plan = store.requirePlan(drill.planId());
        DrStore.Group row = store.requireGroup("groupId", drill.groupId());
        caller.checkAccess(row.group().departmentId());
        if (drill.operation() != DrOperation.DRILL || !drillRunId.equals(row.activeRun()) || drill.state() == RunState.RUNNING) {
            throw TianshuException.conflict("runId", "run " + drillRunId + " is not a finished drill awaiting cleanup");
        }
        return launch(plan, row.group(), DrOperation.CLEANUP, plan.testNetwork(), drillRunId,
                StepPlanner.plan(DrOperation.CLEANUP, plan, row.group(), store.steps(drillRunId)), caller);
    }

    private DrRun launch(RecoveryPlan plan, ProtectionGroup group, DrOperation op, String network, String parent,
            List<DrStore.Step> steps, Caller caller) {
        String id = UUID.randomUUID().toString();
        DrRun run = new DrRun(id, plan.id(), group.id(), op, RunState.RUNNING, caller.name(), Instant.now(), null, null,
                network, null, List.of());
        store.jdbc.tx(c -> {
            boolean claimed = parent == null ? store.claim(group.id(), id) : store.handOver(group.id(), parent, id);
            if (!claimed) {
                String holder = store.requireGroup("groupId", group.id()).activeRun();
                throw TianshuException.conflict("planId", "protection group '" + group.id() + "' is held by run " + holder
                        + (holder == null ? "" : " (" + store.header(holder).operation().name().toLowerCase() + ")")
                        + "; one operation per protection group at a time");
            }
            GroupState now = store.requireGroup("groupId", group.id()).group().state();
            if (now != group.state()) {
                // another run settled between the checks and the claim; the rollback releases the claim
                throw TianshuException.conflict("operation", "protection group '" + group.id() + "' is now "
                        + now.name().toLowerCase() + "; try again");
            }
            store.insertRun(run, parent, steps);
            return null;
        });
        // driven from what is in hand (the journal was just written), not reloaded: the run's clock is running
        drive(new Driver(run, plan, group, steps));
        return store.requireRun(id);
    }

    private void drive(String runId) {
        DrRun header = store.header(runId);
        drive(new Driver(header, store.requirePlan(header.planId()), store.requireGroup("groupId", header.groupId()).group(),
                store.steps(runId)));
    }

    private void drive(Driver d) {
        if (drivers.putIfAbsent(d.runId, d) == null) {
            clocks.put(d.runId, d.clock);
            d.advance();
        }
    }

    /** Cloud busy time of a run driven by this process, null if another process (or a previous one) drove it. */
    Duration cloudWait(String runId) {
        BusyClock c = clocks.get(runId);
        return c == null ? null : c.total();
    }

    /** True while this process drives {@code runId}. */
    boolean driving(String runId) {
        return drivers.containsKey(runId);
    }

    /** Drives one run: launches every step whose needs are done, journals each result, settles the run. */
    private final class Driver {
        final String runId;
        final DrRun header;
        final RecoveryPlan plan;
        final Map<Integer, DrStore.Step> steps = new LinkedHashMap<>();
        final Set<Integer> inFlight = ConcurrentHashMap.newKeySet();
        final BusyClock clock = new BusyClock();
        final Map<String, DrStore.Copy> copies;
        volatile ProtectionGroup group;
        boolean settled;

        Driver(DrRun header, RecoveryPlan plan, ProtectionGroup group, List<DrStore.Step> journalled) {
            this.runId = header.id();
            this.header = header;
            this.plan = plan;
            this.group = group;
            this.copies = new ConcurrentHashMap<>(store.copies(group.id()));
            journalled.forEach(s -> steps.put(s.seq, s));
        }

        /**
         * Launches every step whose needs are done, skips those whose needs failed and settles barriers, then
         * journals all of it in one batch: a step's work never waits for the journal of its start (a start
         * journalled after the step ended is ignored; a crash before it leaves the step PENDING, and steps are
         * idempotent, so it simply runs again).
         */
        synchronized void advance() {
            if (settled || stopping) {
                return;
            }
            boolean open = false;
            List<DrStore.Step> started = new ArrayList<>();
            List<DrStore.Step> ended = new ArrayList<>();
            for (DrStore.Step s : steps.values()) {
                if (s.state == StepState.DONE || s.state == StepState.FAILED || s.state == StepState.SKIPPED) {
                    continue;
                }
                if (inFlight.contains(s.seq)) {
                    open = true;
                    continue;
                }
                StepState needs = needs(s);
                if (needs == StepState.SKIPPED) {
                    s.state = StepState.SKIPPED;
                    s.detail = "not run: a step it needs failed";
                    ended.add(s);
                    continue;
                }
                if (needs == StepState.DONE && s.kind == StepKind.GROUP_UP) {
                    // a barrier does nothing itself: settled here, so the next priority group starts without a thread hop
                    s.startedAt = s.startedAt == null ? Instant.now() : s.startedAt;
                    s.finishedAt = Instant.now();
                    s.state = StepState.DONE;
                    s.detail = "priority group " + s.priority + " up";
                    ended.add(s);
                    publish(EventType.DR_STEP_FINISHED, s);
                    continue;
                }
                open = true;
                if (needs == StepState.DONE) {
                    s.state = StepState.RUNNING;
                    if (s.startedAt == null) {
                        s.startedAt = Instant.now();
                    }
                    inFlight.add(s.seq);
                    started.add(s);
                    executor.execute(() -> run(s));
                }
            }
            store.journalSteps(runId, started, ended);
            ended.forEach(s -> metrics.step(plan.id(), header.operation().name(), s));
            started.forEach(s -> publish(EventType.DR_STEP_STARTED, s));
            if (!open) {
                settle();
            }
        }

        private StepState needs(DrStore.Step s) {
            StepState result = StepState.DONE;
            for (int n : s.needs) {
                StepState st = steps.get(n).state;
                if (st == StepState.FAILED || st == StepState.SKIPPED) {
                    return StepState.SKIPPED;
                }
                if (st != StepState.DONE) {
                    result = StepState.PENDING;
                }
            }
            return result;
        }

        private void run(DrStore.Step s) {
            try {
                s.detail = attempt(s);
                s.state = StepState.DONE;
            } catch (RuntimeException e) {
                LOG.warn("DR run {} step {} {} {} failed: {}", runId, s.seq, s.kind, s.workload, e.getMessage());
                s.detail = e.getMessage() == null ? e.toString() : e.getMessage();
                s.state = StepState.FAILED;
            }
            if (stopping) {
                return;
            }
            s.finishedAt = Instant.now();
            try {
                store.journalStep(runId, s);
            } catch (RuntimeException e) {
                LOG.error("DR run {}: cannot journal step {}; it runs again when the run is resumed", runId, s.seq, e);
                return;
            }
            publish(s.state == StepState.DONE ? EventType.DR_STEP_FINISHED : EventType.DR_STEP_FAILED, s);
            metrics.step(plan.id(), header.operation().name(), s);
            inFlight.remove(s.seq);
            advance();
        }

        private String attempt(DrStore.Step s) {
            for (int i = 1; ; i++) {
                try {
                    return execute(s);
                } catch (TianshuException e) {
                    if (e.kind() != TianshuException.Kind.UPSTREAM || i >= settings.attempts()) {
                        throw e;
                    }
                    sleep(settings.retryDelay());
                }
            }
        }

        private String execute(DrStore.Step s) {
            ProtectionGroup g = group;
            String recovery = g.recoveryCloudId();
            return switch (s.kind) {
                case ISOLATE -> {
                    gate.run(recovery, clock, () -> replicator.session("recoveryCloudId", recovery).isolate(s.target));
                    yield "network " + s.target + " isolated on " + recovery;
                }
                case SYNC -> {
                    DrStore.Copy c = replicator.sync(g, s.workload, clock);
                    copies.put(c.name(), c);
                    yield "copy " + c.copyId() + " on " + c.cloudId() + " consistent at " + c.consistentAt();
                }
                case STOP -> stop(g, s);
                case BRING_UP -> bringUp(g, s);
                case CHECK -> {
                    Map<String, String> vars = new HashMap<>(Map.of("workload", s.workload, "run", runId));
                    String network = header.network() != null ? header.network() : mapped(g, s.workload);
                    vars.put("network", network == null ? "" : network);
                    yield Hooks.run(DrStore.read(s.target, Hook.class), vars);
                }
                case GROUP_UP -> throw new IllegalStateException("barriers settle in advance()");
                case REMOVE -> {
                    gate.run(recovery, clock, () -> replicator.session("recoveryCloudId", recovery).delete(s.target));
                    yield "removed " + s.target;
                }
                case DROP_NETWORK -> {
                    gate.run(recovery, clock, () -> replicator.session("recoveryCloudId", recovery).dropNetwork(s.target));
                    yield "network " + s.target + " removed from " + recovery;
                }
                case SWAP_SIDES -> {
                    store.swapSides(g.id());
                    group = store.requireGroup("groupId", g.id()).group();
                    yield "protected on " + group.protectedCloudId() + ", recovered to " + group.recoveryCloudId();
                }
            };
        }

        private String stop(ProtectionGroup g, DrStore.Step s) {
            try {
                gate.run(g.protectedCloudId(), clock, () -> replicator.session("protectedCloudId", g.protectedCloudId())
                        .stop(s.target));
                return "stopped " + s.target + " on " + g.protectedCloudId();
            } catch (TianshuException e) {
                if (header.operation() == DrOperation.FAILOVER) {
                    // production is presumed unreachable in a failover: recorded, not fatal
                    return "production not stopped: " + e.getMessage();
                }
                throw e;
            }
        }

        private String bringUp(ProtectionGroup g, DrStore.Step s) {
            DrStore.Copy copy = copies.get(s.workload);
            if (copy == null) {
                throw TianshuException.conflict("workload", "no copy of '" + s.workload + "' on " + g.recoveryCloudId()
                        + "; replicate the group first");
            }
            String network = s.target != null ? s.target : mapped(g, s.workload);
            String recovery = g.recoveryCloudId();
            var session = replicator.session("recoveryCloudId", recovery);
            String id = gate.call(recovery, clock, () -> {
                String up = session.bringUp(copy.copyId(), network, s.workload, mapping(g, copy));
                long deadline = System.nanoTime() + settings.activeTimeout().toNanos();
                while (true) {
                    WorkloadState state = session.state(up);
                    if (state == WorkloadState.ACTIVE) {
                        return up;
                    }
                    if (state == WorkloadState.ERROR || state == WorkloadState.GONE) {
                        throw new TianshuException(TianshuException.Kind.UPSTREAM, "workload", up + " on " + recovery
                                + " is " + state.name().toLowerCase());
                    }
                    if (System.nanoTime() > deadline) {
                        throw new TianshuException(TianshuException.Kind.CONFLICT, "workload", up + " on " + recovery
                                + " not active after " + settings.activeTimeout().toSeconds() + " s (" + state.name()
                                        .toLowerCase() + ")");
                    }
                    sleep(settings.pollInterval());
                }
            });
            if (header.operation() != DrOperation.DRILL) {
                store.setRecovered(g.id(), s.workload, id);
            }
            return id;
        }

        /** The recovery network of a workload's copy: mapped by the plan, in reverse when the group runs away from home. */
        private String mapped(ProtectionGroup g, String workload) {
            DrStore.Copy copy = copies.get(workload);
            if (copy == null) {
                return null;
            }
            if (g.protectedCloudId().equals(g.homeCloudId())) {
                return plan.recoveryNetwork(copy.network());
            }
            return plan.networks().stream().filter(m -> m.recovery().equals(copy.network()))
                    .map(NetworkMapping::production).findFirst().orElse(copy.network());
        }

        /** The plan's mapping of the copy's network (reversed when the group runs away from home), null if none. */
        private NetworkMapping mapping(ProtectionGroup g, DrStore.Copy copy) {
            boolean home = g.protectedCloudId().equals(g.homeCloudId());
            return plan.networks().stream().filter(m -> (home ? m.production() : m.recovery()).equals(copy.network()))
                    .map(m -> home ? m : m.reversed()).findFirst().orElse(null);
        }

        private void settle() {
            settled = true;
            DrStore.Step failed = steps.values().stream().filter(s -> s.state == StepState.FAILED).findFirst().orElse(null);
            DrOperation op = header.operation();
            Instant now = Instant.now();
            Instant recoveryPoint = recoveryPoint();
            boolean[] autoCleanup = {false};
            store.jdbc.tx(c -> {
                if (failed != null) {
                    store.finishRun(runId, RunState.FAILED, now, recoveryPoint, "step " + failed.seq + " "
                            + failed.kind.name().toLowerCase() + (failed.workload == null ? "" : " " + failed.workload)
                            + ": " + failed.detail);
                    if (op == DrOperation.DRILL) {
                        autoCleanup[0] = plan.autoCleanup();
                    } else {
                        store.release(group.id(), runId);
                    }
                    return null;
                }
                switch (op) {
                    case DRILL -> {
                        store.finishRun(runId, RunState.TEST_COMPLETE, now, recoveryPoint, null);
                        autoCleanup[0] = plan.autoCleanup();
                    }
                    case CLEANUP -> {
                        store.finishRun(runId, RunState.SUCCEEDED, now, null, null);
                        store.setRunState(store.parentRun(runId), RunState.TEST_COMPLETE, RunState.SUCCEEDED);
                        store.release(group.id(), runId);
                    }
                    case PLANNED_MIGRATION, FAILOVER -> {
                        store.finishRun(runId, RunState.SUCCEEDED, now, recoveryPoint, null);
                        store.setGroupState(group.id(), GroupState.RECOVERED);
                        store.release(group.id(), runId);
                    }
                    default -> {
                        store.finishRun(runId, RunState.SUCCEEDED, now, recoveryPoint, null);
                        store.release(group.id(), runId);
                    }
                }
                return null;
            });
            drivers.remove(runId);
            DrRun finished = store.requireRun(runId);
            metrics.run(finished, DrReports.report(finished, null).rto());
            LOG.info("DR run {} ({} of plan {}) settled: {}", runId, op, plan.id(), failed == null ? "succeeded"
                    : "failed at step " + failed.seq);
            if (autoCleanup[0]) {
                executor.execute(() -> {
                    try {
                        cleanup(runId, Caller.SYSTEM);
                    } catch (RuntimeException e) {
                        LOG.error("automatic cleanup of drill {} could not start", runId, e);
                    }
                });
            }
        }

        /** The oldest copy the run brought up, null if it brought none up. */
        private Instant recoveryPoint() {
            Instant oldest = null;
            for (DrStore.Step s : steps.values()) {
                DrStore.Copy c = s.kind == StepKind.BRING_UP && s.state == StepState.DONE ? copies.get(s.workload) : null;
                if (c != null && (oldest == null || c.consistentAt().isBefore(oldest))) {
                    oldest = c.consistentAt();
                }
            }
            return oldest;
        }

        private void publish(EventType type, DrStore.Step s) {
            EventPublisher p = events.get();
            if (p == null) {
                return;
            }
            Map<String, String> a = new HashMap<>();
            a.put("operation", header.operation().name());
            a.put("plan", header.planId());
            a.put("step", String.valueOf(s.seq));
            a.put("kind", s.kind.name());
            a.put("priority", String.valueOf(s.priority));
            if (s.workload != null) {
                a.put("workload", s.workload);
            }
            if (s.detail != null) {
                a.put("detail", DrStore.shorten(s.detail));
            }
            p.publish(Event.now(type, "dr-run/" + runId, group.departmentId(), group.recoveryCloudId(), a));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TianshuException(TianshuException.Kind.UPSTREAM, null, "interrupted");
        }
    }
}
