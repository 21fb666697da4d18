package org.tianshu.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningService;
import org.tianshu.api.provisioning.ProvisioningState;
import org.tianshu.api.scheduling.CloudVerdict;
import org.tianshu.api.scheduling.Constraint;
import org.tianshu.api.scheduling.Placement;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.scheduling.PlacementExplanation;
import org.tianshu.api.scheduling.PlacementRequest;
import org.tianshu.api.scheduling.Preferences;
import org.tianshu.api.scheduling.SchedulerService;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.QuotaService;
import org.tianshu.persistence.Jdbc;

/**
 * The provisioning saga. Every step is journalled before it acts, and every action can be
 * repeated: the cloud resource carries the request id, so after a crash {@link #recover()} finds
 * what a cut-short step did and carries the saga on (or compensates it) instead of orphaning it.
 *
 * <pre>
 * RESERVED -> CREATING -> ACTIVE -> DELETING -> DELETED
 *                  \-> COMPENSATING -> FAILED
 * </pre>
 */
public class ProvisioningEngine implements ProvisioningService {
    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Timings of the saga, and how many other clouds a scheduled request tries when the cloud chosen for it
     * refuses to create it for lack of capacity or quota ({@link CloudSession#CAPACITY}).
     */
    public record Settings(Duration pollInterval, Duration activeTimeout, Duration retryInterval, int otherClouds) {
        /** Settings that try one other cloud after a refusal. */
        public Settings(Duration pollInterval, Duration activeTimeout, Duration retryInterval) {
            this(pollInterval, activeTimeout, retryInterval, 1);
        }
    }

    private final Jdbc jdbc;
    private final CloudService clouds;
    private final DepartmentService departments;
    private final QuotaService quotas;
    private final ScheduledExecutorService executor;
    private final Settings settings;
    private final JournalListener listener;
    private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
    private final Supplier<SchedulerService> scheduler;

    /** An engine that needs a target cloud for every request (no scheduler). */
    public ProvisioningEngine(DataSource dataSource, CloudService clouds, DepartmentService departments, QuotaService quotas,
            ScheduledExecutorService executor, Settings settings, JournalListener listener) {
        this(dataSource, clouds, departments, quotas, executor, settings, listener, () -> null);
    }

    /** An engine that asks {@code scheduler} (which may give null while none runs) for requests without a cloud. */
    public ProvisioningEngine(DataSource dataSource, CloudService clouds, DepartmentService departments, QuotaService quotas,
            ScheduledExecutorService executor, Settings settings, JournalListener listener,
            Supplier<SchedulerService> scheduler) {
        this.scheduler = scheduler;
        this.jdbc = new Jdbc(dataSource);
        this.clouds = clouds;
        this.departments = departments;
        this.quotas = quotas;
        this.executor = executor;
        this.settings = settings;
        this.listener = listener;
    }

    /** Carries on every saga that a stop or crash left unsettled. */
    public int recover() {
        List<String> open = jdbc.query("SELECT id FROM provisioning WHERE state NOT IN ('ACTIVE', 'FAILED', 'DELETED')",
                rs -> rs.getString(1));
        open.forEach(id -> schedule(id, Duration.ZERO));
        if (!open.isEmpty()) {
            LOG.info("resuming {} provisioning saga(s) left unsettled", open.size());
        }
        return open.size();
    }

    @Override
    public Provisioning submit(String cloudId, WorkloadSpec spec, String idempotencyKey, Caller caller) {
        if (cloudId == null) {
            return submit(spec, PlacementConstraints.NONE, null, idempotencyKey, caller);
        }
        CloudKind needed = check(spec, caller);
        Validation.required("cloud", cloudId);
        Cloud cloud = clouds.get(cloudId);
        if (cloud.kind() != needed) {
            throw TianshuException.invalid("kind", "a " + spec.kind().id() + " workload needs a " + needed.id()
                    + " cloud; '" + cloudId + "' is " + cloud.kind().id());
        }
        if (idempotencyKey != null) {
            Optional<Provisioning> earlier = byKey(spec.departmentId(), idempotencyKey);
            if (earlier.isPresent()) {
                return sameRequest(earlier.get(), cloudId, spec);
            }
        }
        Resources demand = clouds.session(cloudId).demand(spec);
        String id = UUID.randomUUID().toString();
        try {
            journalNew(id, spec, idempotencyKey, caller, () -> new Choice(cloudId, null), Map.of(cloudId, demand));
            return begin(id);
        } catch (RuntimeException e) {
            if (idempotencyKey != null && Jdbc.isDuplicateKey(e)) {
                // a concurrent request with the same key won the insert
                return sameRequest(byKey(spec.departmentId(), idempotencyKey).orElseThrow(), cloudId, spec);
            }
            throw e;
        }
    }

    @Override
    public Provisioning submit(WorkloadSpec spec, PlacementConstraints constraints, Preferences preferences,
            String idempotencyKey, Caller caller) {
        CloudKind needed = check(spec, caller);
        SchedulerService placer = scheduler.get();
        if (placer == null) {
            throw TianshuException.conflict("cloud", "no scheduler is running (feature tianshu-scheduler): name the target cloud");
        }
        if (idempotencyKey != null) {
            Optional<Provisioning> earlier = byKey(spec.departmentId(), idempotencyKey);
            if (earlier.isPresent()) {
                return sameRequest(earlier.get(), null, spec);
            }
        }
        PlacementConstraints c = constraints == null ? PlacementConstraints.NONE : constraints;
        Map<String, Resources> demands = demands(spec, needed, c);
        String id = UUID.randomUUID().toString();
        PlacementRequest request = request(spec, demands, c, preferences);
        try {
            journalNew(id, spec, idempotencyKey, caller, () -> {
                Placement placement = placer.hold(request, id, caller);
                if (placement.outcome() != Placement.Outcome.PLACED) {
                    throw TianshuException.conflict("placement", "no cloud can take " + spec.kind().id() + " '" + spec.name()
                            + "': " + placement.explanation().summary());
                }
                return new Choice(placement.decision().get(0).cloudId(),
                        new Placed(placement.explanation(), c, preferences));
            }, demands);
        } catch (RuntimeException e) {
            releaseHold(id);
            if (idempotencyKey != null && Jdbc.isDuplicateKey(e)) {
                return sameRequest(byKey(spec.departmentId(), idempotencyKey).orElseThrow(), null, spec);
            }
            throw e;
        }
        return begin(id);
    }

    /** The scheduler's request for {@code spec}: one member per VM or replica, on the clouds of {@code demands}. */
    private static PlacementRequest request(WorkloadSpec spec, Map<String, Resources> demands, PlacementConstraints c,
            Preferences preferences) {
        Resources most = demands.values().stream().reduce(Resources.ZERO, (a, b) -> new Resources(Math.max(a.cpuMillis(),
                b.cpuMillis()), Math.max(a.memoryMiB(), b.memoryMiB()), Math.max(a.diskGiB(), b.diskGiB()), Math.max(a.gpus(), b.gpus())));
        int members = spec.kind() == WorkloadKind.CONTAINER ? Math.max(1, spec.replicas()) : 1;
        Resources perMember = new Resources(most.cpuMillis() / members, most.memoryMiB() / members, most.diskGiB() / members,
                most.gpus() / members);
        return new PlacementRequest(spec.departmentId(), perMember, members,
                new PlacementConstraints(demands.keySet(), c.minSecurityZone(), c.xinchuang(), c.residency(), c.zones(),
                        c.affinityGroup(), c.antiAffinityGroup(), c.spreadZones(), c.gpuType()), preferences, false);
    }

    /** Validates what every request needs and returns the kind of cloud the spec needs. */
    private CloudKind check(WorkloadSpec spec, Caller caller) {
        if (spec == null) {
            throw TianshuException.invalid("spec", "a workload spec is required");
        }
        Validation.id("name", spec.name());
        Validation.id("department", spec.departmentId());
        if (spec.kind() == null) {
            throw TianshuException.invalid("kind", "kind is required (vm or container)");
        }
        caller.checkAccess(spec.departmentId());
        departments.get(spec.departmentId());
        return spec.kind() == WorkloadKind.VM ? CloudKind.OPENSTACK : CloudKind.KUBERNETES;
    }

    /**
     * What {@code spec} consumes in every reachable cloud of kind {@code needed} among the allowed ones whose
     * catalog accepts it, by cloud id. INVALID naming the spec field when no catalog accepts it.
     */
    private Map<String, Resources> demands(WorkloadSpec spec, CloudKind needed, PlacementConstraints c) {
        for (String allowed : c.allowedClouds()) {
            if (clouds.list().stream().noneMatch(x -> x.id().equals(allowed))) {
                throw TianshuException.invalid("constraints.allowedClouds", "unknown cloud '" + allowed + "'");
            }
        }
        Map<String, Resources> demands = new TreeMap<>();
        TianshuException refusal = null;
        for (Cloud cloud : clouds.list()) {
            if (cloud.kind() != needed || !c.allowedClouds().isEmpty() && !c.allowedClouds().contains(cloud.id())) {
                continue;
            }
            try {
                demands.put(cloud.id(), clouds.session(cloud.id()).demand(spec));
            } catch (TianshuException e) {
                if (e.kind() == TianshuException.Kind.INVALID || e.kind() == TianshuException.Kind.NOT_FOUND) {
                    refusal = refusal == null ? e : refusal;
                } else {
                    LOG.info("cloud {} is left out of the placement of {}: {}", cloud.id(), spec.name(), e.getMessage());
                }
            }
        }
        if (!demands.isEmpty()) {
            return demands;
        }
        if (refusal != null) {
            throw refusal;
        }
        throw TianshuException.invalid(c.allowedClouds().isEmpty() ? "kind" : "constraints.allowedClouds", "no reachable "
                + needed.id() + " cloud" + (c.allowedClouds().isEmpty() ? "" : " among " + new java.util.TreeSet<>(c.allowedClouds()))
                + " can take a " + spec.kind().id() + " workload");
    }

    /** The cloud of a request, and how the scheduler chose it (null when the caller named it). */
    private record Choice(String cloudId, Placed placed) {
    }

    /**
     * What the journal keeps of a scheduled request's placement (column {@code placement_json}): why its cloud was
     * chosen, and what it asked the scheduler for, to ask again for another cloud when that one refuses.
     */
    record Placed(PlacementExplanation explanation, PlacementConstraints constraints, Preferences preferences) {
    }

    /**
     * Journals the request as RESERVED in one transaction with its quota and, for a scheduled request, the
     * scheduler's hold: {@code choice} runs in the transaction (placing the request, for a scheduled one).
     */
    private void journalNew(String id, WorkloadSpec spec, String idempotencyKey, Caller caller, Supplier<Choice> choice,
            Map<String, Resources> demands) {
        Instant now = Instant.now();
        jdbc.tx(c -> {
            Choice p = choice.get();
            String cloudId = p.cloudId();
            Resources demand = demands.get(cloudId);
            jdbc.update("INSERT INTO provisioning(id, idempotency_key, department_id, cloud_id, name, kind, spec_json, cpu,"
                    + " memory, disk, gpus, state, requested_by, created_at, updated_at, placement_json)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, idempotencyKey, spec.departmentId(),
                    cloudId, spec.name(), spec.kind(), write(spec), demand.cpuMillis(), demand.memoryMiB(),
                    demand.diskGiB(), demand.gpus(), ProvisioningState.RESERVED, caller.name(), now, now,
                    p.placed() == null ? null : write(p.placed()));
            quotas.reserve(id, spec.departmentId(), cloudId, demand, 1);
            return null;
        });
    }

    /** Tells the listener about the new request and starts its saga. */
    private Provisioning begin(String id) {
        Provisioning p = load(id);
        listener.journalled(p);
        schedule(id, Duration.ZERO);
        return p;
    }

    /** Gives back the scheduler's hold of request {@code id}, if a scheduler runs and still holds it. */
    private void releaseHold(String id) {
        SchedulerService placer = scheduler.get();
        if (placer == null) {
            return;
        }
        try {
            placer.release(id, Caller.SYSTEM);
        } catch (TianshuException e) {
            if (e.kind() != TianshuException.Kind.NOT_FOUND) {
                throw e;
            }
        }
    }

    private Provisioning sameRequest(Provisioning earlier, String cloudId, WorkloadSpec spec) {
        if (cloudId == null ? !earlier.scheduled() || !earlier.spec().equals(spec)
                : !earlier.cloudId().equals(cloudId) || !earlier.spec().equals(spec)) {
            throw TianshuException.conflict("idempotencyKey", "idempotency key '" + earlier.idempotencyKey()
                    + "' was already used for a different request (" + earlier.id() + ")");
        }
        return earlier;
    }

    @Override
    public Provisioning get(String id, Caller caller) {
        Provisioning p = jdbc.one("SELECT * FROM provisioning WHERE id = ?", this::row, id)
                .filter(x -> caller.canAccess(x.spec().departmentId()))
                .orElseThrow(() -> TianshuException.notFound("id", "provisioning request", id));
        return p;
    }

    @Override
    public List<Provisioning> list(String departmentId, Caller caller) {
        if (departmentId != null) {
            caller.checkAccess(departmentId);
            return jdbc.query("SELECT * FROM provisioning WHERE department_id = ? ORDER BY created_at DESC", this::row,
                    departmentId);
        }
        return jdbc.query("SELECT * FROM provisioning ORDER BY created_at DESC", this::row).stream()
                .filter(p -> caller.canAccess(p.spec().departmentId())).toList();
    }

    @Override
    public Provisioning await(String id, Duration timeout, Caller caller) {
        Instant deadline = Instant.now().plus(timeout);
        Provisioning p = get(id, caller);
        while (!p.state().settled() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(Math.min(200, Math.max(1, Duration.between(Instant.now(), deadline).toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            p = get(id, caller);
        }
        return p;
    }

    @Override
    public Provisioning delete(String id, Caller caller) {
        Provisioning p = get(id, caller);
        if (p.state() == ProvisioningState.DELETING || p.state() == ProvisioningState.DELETED) {
            return p;
        }
        if (p.state() != ProvisioningState.ACTIVE) {
            throw TianshuException.conflict("id", "request " + id + " is " + p.state().name().toLowerCase()
                    + "; only active workloads can be deleted");
        }
        if (!journal(p, ProvisioningState.DELETING, p.externalId(), null)) {
            return get(id, caller);
        }
        // the record as journalled: once scheduled, the saga may already have moved on to DELETED
        Provisioning deleting = load(id);
        schedule(id, Duration.ZERO);
        return deleting;
    }

    private void schedule(String id, Duration delay) {
        if (scheduled.add(id)) {
            executor.schedule(() -> {
                scheduled.remove(id);
                step(id);
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs one step of the saga and schedules the next. */
    void step(String id) {
        Provisioning p = load(id);
        try {
            switch (p.state()) {
                case RESERVED -> {
                    if (journal(p, ProvisioningState.CREATING, null, null)) {
                        schedule(id, Duration.ZERO);
                    }
                }
                case CREATING -> create(p);
                case COMPENSATING -> undo(p, ProvisioningState.FAILED);
                case DELETING -> undo(p, ProvisioningState.DELETED);
                default -> {
                    // settled: nothing to do
                }
            }
        } catch (TianshuException e) {
            if (p.state() == ProvisioningState.RESERVED || p.state() == ProvisioningState.CREATING) {
                LOG.warn("provisioning {} failed in {}: {}", id, p.state(), e.getMessage());
                if (journal(p, ProvisioningState.COMPENSATING, p.externalId(), e.getMessage())) {
                    schedule(id, Duration.ZERO);
                }
            } else {
                LOG.warn("provisioning {}: {} will be retried: {}", id, p.state(), e.getMessage());
                schedule(id, settings.retryInterval());
            }
        } catch (RuntimeException e) {
            LOG.error("provisioning {}: unexpected failure in {}, retrying", id, p.state(), e);
            schedule(id, settings.retryInterval());
        }
    }

    private void create(Provisioning journalled) {
        CloudSession session = clouds.session(journalled.cloudId());
        Provisioning p = journalled;
        String externalId = p.externalId();
        if (externalId == null) {
            Optional<String> found = session.findByRequest(p.id());
            if (found.isPresent()) {
                externalId = found.get();
            } else {
                try {
                    externalId = session.create(p.spec(), p.id(), heldHosts(p));
                } catch (TianshuException e) {
                    if (e.kind() == TianshuException.Kind.CONFLICT && CloudSession.CAPACITY.equals(e.field())
                            && elsewhere(p, e.getMessage())) {
                        return;
                    }
                    throw e;
                }
            }
            if (!journal(p, ProvisioningState.CREATING, externalId, null)) {
                return;
            }
            p = load(p.id());
        }
        WorkloadState state = session.state(externalId);
        switch (state) {
            case ACTIVE -> journal(p, ProvisioningState.ACTIVE, externalId, null);
            case ERROR, GONE -> {
                if (!gaveUp(p, session, state)) {
                    compensate(p, "the cloud reports the workload " + state.name().toLowerCase());
                }
            }
            default -> {
                if (Instant.now().isAfter(p.createdAt().plus(settings.activeTimeout()))) {
                    compensate(p, "not active after " + settings.activeTimeout().toSeconds() + " s (last state "
                            + state.name().toLowerCase() + ")");
                } else {
                    schedule(p.id(), settings.pollInterval());
                }
            }
        }
    }

    /** The hosts the scheduler holds for request {@code p} in its cloud; empty when it named its cloud. */
    private Set<String> heldHosts(Provisioning p) {
        SchedulerService placer = scheduler.get();
        if (placer == null || !p.scheduled()) {
            return Set.of();
        }
        String prefix = p.cloudId() + "/";
        return placer.reservations(p.spec().departmentId(), Caller.SYSTEM).stream().filter(r -> r.id().equals(p.id()))
                .flatMap(r -> r.hosts().keySet().stream()).filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length())).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    /**
     * After the cloud of scheduled request {@code p} refused to create it (for {@code refusal}), moves the request, its
     * hold and its quota to the next-best cloud the scheduler finds among the others in one transaction, the
     * refusal recorded in its explanation, and carries the saga on there. False (the caller compensates) for a
     * request that named its cloud, once {@link Settings#otherClouds} clouds refused it, or when no other cloud can
     * take it.
     */
    private boolean elsewhere(Provisioning p, String refusal) {
        SchedulerService placer = scheduler.get();
        Placed was = placed(p.id());
        if (placer == null || was == null || was.constraints() == null) {
            return false;
        }
        Set<String> refused = new TreeSet<>(refusedClouds(was.explanation()));
        refused.remove(p.cloudId());
        if (refused.size() >= settings.otherClouds()) {
            LOG.info("provisioning {}: cloud {} refused it; {} other cloud(s) tried of {} allowed (otherClouds)", p.id(),
                    p.cloudId(), refused.size(), settings.otherClouds());
            return false;
        }
        refused.add(p.cloudId());
        Map<String, Resources> demands;
        try {
            demands = new TreeMap<>(demands(p.spec(), p.spec().kind() == WorkloadKind.VM ? CloudKind.OPENSTACK
                    : CloudKind.KUBERNETES, was.constraints()));
        } catch (TianshuException e) {
            return false;
        }
        demands.keySet().removeAll(refused);
        if (demands.isEmpty()) {
            return false;
        }
        PlacementRequest request = request(p.spec(), demands, was.constraints(), was.preferences());
        String from = p.cloudId();
        String to = jdbc.tx(c -> {
            Placement placement = placer.holdElsewhere(request, p.id(), Caller.SYSTEM);
            if (placement.outcome() != Placement.Outcome.PLACED) {
                LOG.info("provisioning {}: cloud {} refused it and no other cloud can take it: {}", p.id(), from,
                        placement.explanation().summary());
                return null;
            }
            String cloudId = placement.decision().get(0).cloudId();
            Resources demand = demands.get(cloudId);
            Placed now = new Placed(withRefusals(placement.explanation(), was.explanation(), from, refusal),
                    was.constraints(), was.preferences());
            quotas.release(p.id());
            quotas.reserve(p.id(), p.spec().departmentId(), cloudId, demand, 1);
            List<Object> args = new ArrayList<>(List.of(cloudId, demand.cpuMillis(), demand.memoryMiB(), demand.diskGiB(),
                    demand.gpus(), write(now), Instant.now(), p.id(), ProvisioningState.CREATING, from));
            if (p.externalId() != null) {
                args.add(p.externalId());
            }
            if (jdbc.update("UPDATE provisioning SET cloud_id = ?, cpu = ?, memory = ?, disk = ?, gpus = ?, placement_json = ?,"
                    + " external_id = NULL, updated_at = ? WHERE id = ? AND state = ? AND cloud_id = ? AND "
                    + (p.externalId() == null ? "external_id IS NULL" : "external_id = ?"), args.toArray()) != 1) {
                throw new IllegalStateException("provisioning " + p.id() + " changed while it moved to another cloud");
            }
            return cloudId;
        });
        if (to == null) {
            return false;
        }
        LOG.info("provisioning {}: cloud {} refused it ({}); trying cloud {}", p.id(), from, refusal, to);
        listener.journalled(load(p.id()));
        schedule(p.id(), Duration.ZERO);
        return true;
    }

    /**
     * For a scheduled request whose cloud accepted the workload and then gave it up for lack of capacity
     * ({@link CloudSession#capacityFault}): records the refusal in the journal, removes the failed workload and, once
     * it is gone, moves the request to another cloud as {@link #elsewhere} does. False (the caller compensates) for
     * any other failure, or when no other cloud may be tried.
     */
    private boolean gaveUp(Provisioning p, CloudSession session, WorkloadState state) {
        Placed was = placed(p.id());
        if (scheduler.get() == null || was == null || was.constraints() == null) {
            return false;
        }
        Optional<CloudVerdict> recorded = was.explanation().clouds().stream()
                .filter(v -> v.cloudId().equals(p.cloudId()) && v.rejectedBy() == Constraint.CLOUD_REFUSED).findFirst();
        if (state == WorkloadState.GONE) {
            // gone after the refusal was recorded: removed by this step (perhaps before a stop)
            if (recorded.isEmpty()) {
                return false;
            }
            if (!elsewhere(p, recorded.get().reason())) {
                compensate(p, recorded.get().reason());
            }
            return true;
        }
        Optional<String> fault = session.capacityFault(p.externalId());
        if (fault.isEmpty() || refusedClouds(was.explanation()).size() - (recorded.isPresent() ? 1 : 0) >= settings.otherClouds()) {
            return false;
        }
        if (recorded.isEmpty() && jdbc.update("UPDATE provisioning SET placement_json = ?, updated_at = ? WHERE id = ? AND state = ?"
                + " AND external_id = ?", write(new Placed(refused(was.explanation(), p.cloudId(), fault.get()), was.constraints(),
                        was.preferences())), Instant.now(), p.id(), ProvisioningState.CREATING, p.externalId()) != 1) {
            return true; // moved on meanwhile: the other step owns the saga
        }
        LOG.info("provisioning {}: cloud {} gave up workload {} ({}); removing it to try another cloud", p.id(), p.cloudId(),
                p.externalId(), fault.get());
        session.delete(p.externalId());
        schedule(p.id(), session.state(p.externalId()) == WorkloadState.GONE ? Duration.ZERO : settings.pollInterval());
        return true;
    }

    /** {@code why} with the verdict of {@code cloudId} replaced by its refusal. */
    private static PlacementExplanation refused(PlacementExplanation why, String cloudId, String reason) {
        Map<String, CloudVerdict> verdicts = new TreeMap<>();
        why.clouds().forEach(v -> verdicts.put(v.cloudId(), v));
        verdicts.put(cloudId, new CloudVerdict(cloudId, Constraint.CLOUD_REFUSED, reason, Double.NaN, 0));
        return new PlacementExplanation(why.summary(), why.refusedBy(), List.copyOf(verdicts.values()), why.hosts());
    }

    /** The clouds that already refused the request, as its explanation records them. */
    private static Set<String> refusedClouds(PlacementExplanation why) {
        return why.clouds().stream().filter(v -> v.rejectedBy() == Constraint.CLOUD_REFUSED).map(CloudVerdict::cloudId)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** {@code now} with the verdicts of the clouds that refused the request: those of {@code before} and {@code cloudId}. */
    private static PlacementExplanation withRefusals(PlacementExplanation now, PlacementExplanation before, String cloudId,
            String reason) {
        PlacementExplanation why = now;
        for (CloudVerdict v : before.clouds()) {
            if (v.rejectedBy() == Constraint.CLOUD_REFUSED) {
                why = refused(why, v.cloudId(), v.reason());
            }
        }
        why = refused(why, cloudId, reason);
        return new PlacementExplanation(now.summary() + " (after cloud " + cloudId + " refused to create it)", why.refusedBy(),
                why.clouds(), why.hosts());
    }

    /** The placement journalled for request {@code id}; null when the caller named its cloud. */
    private Placed placed(String id) {
        return jdbc.query("SELECT placement_json FROM provisioning WHERE id = ? AND placement_json IS NOT NULL",
                rs -> readPlaced(rs.getString(1)), id).stream().findFirst().orElse(null);
    }

    private void compensate(Provisioning p, String reason) {
        if (journal(p, ProvisioningState.COMPENSATING, p.externalId(), reason)) {
            schedule(p.id(), Duration.ZERO);
        }
    }

    /** Removes the cloud resource (found by id or by request tag), then releases the quota. */
    private void undo(Provisioning p, ProvisioningState end) {
        CloudSession session = clouds.session(p.cloudId());
        String externalId = p.externalId() != null ? p.externalId() : session.findByRequest(p.id()).orElse(null);
        if (externalId != null && session.state(externalId) != WorkloadState.GONE) {
            session.delete(externalId);
            if (session.state(externalId) != WorkloadState.GONE) {
                schedule(p.id(), settings.pollInterval());
                return;
            }
        }
        // the listener hears of the end only once the release and the journal write are committed together
        if (jdbc.tx(c -> {
            quotas.release(p.id());
            releaseHold(p.id());
            return move(p, end, externalId, p.error());
        })) {
            listener.journalled(load(p.id()));
        }
    }

    /**
     * Moves {@code p} to {@code next} if nobody moved it meanwhile; false if somebody did (the
     * caller then stops: the other step owns the saga).
     */
    private boolean journal(Provisioning p, ProvisioningState next, String externalId, String error) {
        if (move(p, next, externalId, error)) {
            listener.journalled(load(p.id()));
            return true;
        }
        return false;
    }

    /** The conditional update of {@link #journal}, without telling the listener. */
    private boolean move(Provisioning p, ProvisioningState next, String externalId, String error) {
        return jdbc.update("UPDATE provisioning SET state = ?, external_id = ?, error = ?, updated_at = ?"
                + " WHERE id = ? AND state = ? AND " + (p.externalId() == null ? "external_id IS NULL" : "external_id = ?"),
                journalArgs(next, externalId, error, p)) == 1;
    }

    private static Object[] journalArgs(ProvisioningState next, String externalId, String error, Provisioning p) {
        String shortError = error == null || error.length() <= 2000 ? error : error.substring(0, 2000);
        List<Object> args = new ArrayList<>(Arrays.asList(next, externalId, shortError, Instant.now(), p.id(), p.state()));
        if (p.externalId() != null) {
            args.add(p.externalId());
        }
        return args.toArray();
    }

    private Optional<Provisioning> byKey(String departmentId, String key) {
        return jdbc.one("SELECT * FROM provisioning WHERE department_id = ? AND idempotency_key = ?", this::row,
                departmentId, key);
    }

    private Provisioning load(String id) {
        return jdbc.one("SELECT * FROM provisioning WHERE id = ?", this::row, id).orElseThrow();
    }

    private Provisioning row(ResultSet rs) throws SQLException {
        return new Provisioning(rs.getString("id"), rs.getString("idempotency_key"), rs.getString("cloud_id"),
                read(rs.getString("spec_json")),
                new Resources(rs.getLong("cpu"), rs.getLong("memory"), rs.getLong("disk"), rs.getLong("gpus")),
                ProvisioningState.valueOf(rs.getString("state")), rs.getString("external_id"), rs.getString("error"),
                rs.getString("requested_by"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"),
                Optional.ofNullable(readPlaced(rs.getString("placement_json"))).map(Placed::explanation).orElse(null));
    }

    /** The journalled placement; rows written before it kept its request hold the bare explanation. */
    private static Placed readPlaced(String json) {
        try {
            if (json == null) {
                return null;
            }
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(json);
            if (tree.has("explanation")) {
                return JSON.treeToValue(tree, Placed.class);
            }
            return new Placed(JSON.treeToValue(tree, PlacementExplanation.class), null, null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable placement in journal: " + e.getMessage(), e);
        }
    }

    private static String write(Object spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WorkloadSpec read(String json) {
        try {
            return JSON.readValue(json, WorkloadSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable spec in journal: " + e.getMessage(), e);
        }
    }
}
