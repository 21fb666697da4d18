package org.tianshu.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.scheduling.MemberPlacement;
import org.tianshu.api.metrics.Measurements;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.metrics.MetricsRecorder;
import org.tianshu.api.metrics.TimingSums;
import org.tianshu.api.scheduling.Placement;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.scheduling.PlacementRequest;
import org.tianshu.api.scheduling.PlacementScorer;
import org.tianshu.api.scheduling.Reservation;
import org.tianshu.api.scheduling.SchedulerService;
import org.tianshu.api.scheduling.SchedulingPolicy;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.QuotaService;

/**
 * Runs the placement engine in the runtime (PID {@code org.tianshu.scheduler}): builds its snapshot from the
 * inventory at start and every {@code refreshSeconds}, reserves quota through {@link QuotaService}, uses every
 * registered {@link PlacementScorer}, applies each department's {@link SchedulingPolicy}, and keeps reservations
 * in the database: a reservation's row, its quota and its capacity are taken in one transaction (the caller's,
 * when a provisioning saga holds capacity for its request), and taken back at start. Every decision is summed into
 * measurement {@code placement}, recorded once a second with the {@link MetricsRecorder} when the metrics bundle runs.
 */
@Component(service = SchedulerService.class, configurationPid = "org.tianshu.scheduler")
@Designate(ocd = SchedulerComponent.Config.class)
public class SchedulerComponent implements SchedulerService {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerComponent.class);

    @ObjectClassDefinition(name = "Tianshu scheduler", description = "Placement of workloads across clouds")
    public @interface Config {
        @AttributeDefinition(description = "Seconds between refreshes of the engine's snapshot from the inventory; 0 turns them off", min = "0")
        int refreshSeconds() default 30;

        @AttributeDefinition(description = "Seconds between efficiency evaluations (idle tracking, metric points); 0 turns them off", min = "0")
        int efficiencySeconds() default 300;

        @AttributeDefinition(description = "Allocation or measured CPU use (0-1) above which a host is overloaded")
        double overloadThreshold() default 0.9;

        @AttributeDefinition(description = "Allocation share of a cloud (larger of CPU and memory, after overcommit) whose"
                + " crossing, up or down, is published as a CAPACITY_THRESHOLD event")
        double capacityThreshold() default 0.85;

        @AttributeDefinition(description = "Measured CPU use of its allocation (0-1) below which a workload is idle")
        double idleThreshold() default 0.05;

        @AttributeDefinition(description = "Hours a workload must stay below the idle threshold to count as idle", min = "0")
        long idleHours() default 168;

        @AttributeDefinition(description = "Reference workload for fragmentation, millicores: free CPU that cannot hold one is stranded", min = "1")
        long referenceCpuMillis() default 2000;

        @AttributeDefinition(description = "Reference workload for fragmentation, MiB", min = "1")
        long referenceMemoryMiB() default 4096;

        @AttributeDefinition(description = "Most moves in one rebalancing plan", min = "1")
        int maxMoves() default 20;

        @AttributeDefinition(description = "Milliseconds between polls of a move in progress", min = "10")
        long movePollMillis() default 2000;

        @AttributeDefinition(description = "Seconds a move may take before it counts as failed", min = "1")
        long moveTimeoutSeconds() default 900;

        @AttributeDefinition(description = "Seconds between showback samples of what departments hold; 0 turns metering off", min = "0")
        int usageSampleSeconds() default 300;

        @AttributeDefinition(description = "Currency of the showback rates")
        String currency() default "CNY";

        @AttributeDefinition(description = "Showback price of one vCPU for an hour", min = "0")
        double rateVcpuHour() default 0.08;

        @AttributeDefinition(description = "Showback price of one GiB of memory for an hour", min = "0")
        double rateMemoryGibHour() default 0.02;

        @AttributeDefinition(description = "Showback price of one GPU for an hour", min = "0")
        double rateGpuHour() default 8.0;

        @AttributeDefinition(description = "Showback price of one GiB of disk for an hour", min = "0")
        double rateStorageGibHour() default 0.0005;
    }

    private final CloudService clouds;
    private final InventoryService inventory;
    private final DepartmentService departments;
    private final SchedulerStore store;
    private final PlacementEngine engine;
    private final Map<String, SchedulingPolicy> policies = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "tianshu-scheduler-refresh"));
    /** Placement decisions per outcome, cloud, kind and department, recorded once a second. */
    private final TimingSums placements = new TimingSums(Measurements.PLACEMENT, "us", "members");
    /** Each cloud's kind, for the placement metrics' {@code kind} tag; renewed with the snapshot. */
    private volatile Map<String, String> kinds = Map.of();
    private volatile MetricsRecorder recorder;

    @Activate
    public SchedulerComponent(@Reference(target = "(tianshu.database=main)") DataSource dataSource,
            @Reference CloudService clouds, @Reference InventoryService inventory,
            @Reference DepartmentService departments, @Reference QuotaService quotas, Config config) {
        this(dataSource, clouds, inventory, departments, quotas, config.refreshSeconds());
        timer.scheduleWithFixedDelay(this::recordPlacements, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * The scheduler without OSGi, refreshed every {@code refreshSeconds} (0: only by {@link #refreshNow()}); placement
     * metrics are recorded only by {@link #recordPlacements()}.
     */
    public SchedulerComponent(DataSource dataSource, CloudService clouds, InventoryService inventory,
            DepartmentService departments, QuotaService quotas, int refreshSeconds) {
        if (refreshSeconds < 0) {
            throw new IllegalArgumentException("org.tianshu.scheduler: refreshSeconds must be 0 or more, got " + refreshSeconds);
        }
        this.clouds = clouds;
        this.inventory = inventory;
        this.departments = departments;
        this.store = new SchedulerStore(dataSource);
        List<Cloud> known = clouds.list();
        this.engine = new PlacementEngine(known, inventory.hosts(null), quotas);
        knowKinds(known);
        Map<String, PlacementEngine.Reservation> kept = store.reservations();
        kept.forEach(engine::restore);
        if (!kept.isEmpty()) {
            LOG.info("took back {} reservation(s) kept from before the restart", kept.size());
        }
        if (refreshSeconds > 0) {
            timer.scheduleWithFixedDelay(this::refresh, refreshSeconds, refreshSeconds, TimeUnit.SECONDS);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addScorer(PlacementScorer scorer) {
        engine.addScorer(scorer);
    }

    void removeScorer(PlacementScorer scorer) {
        engine.removeScorer(scorer);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public void setRecorder(MetricsRecorder recorder) {
        this.recorder = recorder;
    }

    public void unsetRecorder(MetricsRecorder recorder) {
        if (this.recorder == recorder) {
            this.recorder = null;
        }
    }

    /** Records the placement decisions summed since the last call, one point per series. */
    public void recordPlacements() {
        MetricsRecorder r = recorder;
        List<MetricPoint> points = placements.drain(Instant.now());
        if (r != null && !points.isEmpty()) {
            try {
                r.record(points);
            } catch (RuntimeException e) {
                LOG.warn("recording {} placement points failed", points.size(), e);
            }
        }
    }

    @Deactivate
    public void deactivate() {
        timer.shutdownNow();
    }

    private void refresh() {
        try {
            refreshNow();
        } catch (RuntimeException e) {
            LOG.warn("refresh of the scheduler's snapshot failed; keeping the previous one", e);
        }
    }

    /** Rebuilds the snapshot from the inventory now, settling the holds whose workloads it reports. */
    public void refreshNow() {
        Set<String> inInventory = new HashSet<>();
        for (Workload w : inventory.workloads(null, null)) {
            if (w.requestId() != null) {
                inInventory.add(w.requestId());
            }
        }
        List<Cloud> known = clouds.list();
        Set<String> settled = engine.refresh(known, inventory.hosts(null), inInventory);
        knowKinds(known);
        store.jdbc().tx(c -> {
            store.settle(settled);
            return null;
        });
    }

    @Override
    public Placement place(PlacementRequest request, boolean dryRun, Caller caller) {
        PlacementRequest r = underPolicy(request, caller);
        long t0 = System.nanoTime();
        return measured(dryRun ? engine.place(r, true) : reserve(() -> engine.place(r, false)), r, t0);
    }

    @Override
    public Placement hold(PlacementRequest request, String holdId, Caller caller) {
        PlacementRequest r = underPolicy(request, caller);
        long t0 = System.nanoTime();
        return measured(reserve(() -> engine.hold(r, holdId)), r, t0);
    }

    @Override
    public Placement holdElsewhere(PlacementRequest request, String holdId, Caller caller) {
        PlacementRequest r = underPolicy(request, caller);
        PlacementEngine.Reservation old = engine.reservation(holdId);
        if (old == null || !old.hold()) {
            throw TianshuException.notFound("holdId", "hold", holdId);
        }
        long t0 = System.nanoTime();
        engine.release(holdId);
        Placement p;
        try {
            p = reserveReplacing(holdId, () -> engine.hold(r, holdId));
        } catch (RuntimeException e) {
            engine.restore(holdId, old);
            throw e;
        }
        if (p.outcome() != Placement.Outcome.PLACED) {
            engine.restore(holdId, old);
        }
        return measured(p, r, t0);
    }

    /** {@link #reserve}, deleting the row of the hold it replaces in the same transaction. */
    private Placement reserveReplacing(String holdId, java.util.function.Supplier<Placement> placement) {
        return reserve(() -> {
            Placement p = placement.get();
            if (p.outcome() == Placement.Outcome.PLACED) {
                store.delete(holdId);
            }
            return p;
        });
    }

    /**
     * Sums the decision into the placement metrics while a recorder is there (nothing is kept for nobody): tags
     * {@code outcome} placed/dry-run/refused, {@code department}, and {@code cloud} ({@code several} when the members
     * span clouds) with its {@code kind} unless refused.
     */
    private Placement measured(Placement p, PlacementRequest r, long t0) {
        if (recorder == null) {
            return p;
        }
        long nanos = System.nanoTime() - t0;
        Map<String, String> tags = new HashMap<>(4);
        tags.put("outcome", switch (p.outcome()) {
            case PLACED -> "placed";
            case FEASIBLE -> "dry-run";
            case REFUSED -> "refused";
        });
        tags.put("department", r.departmentId());
        String cloud = null;
        for (MemberPlacement m : p.decision()) {
            cloud = cloud == null || cloud.equals(m.cloudId()) ? m.cloudId() : "several";
        }
        if (cloud != null) {
            tags.put("cloud", cloud);
            String kind = kinds.get(cloud);
            if (kind != null) {
                tags.put("kind", kind);
            }
        }
        placements.add(Map.copyOf(tags), nanos, p.decision().size());
        return p;
    }

    private void knowKinds(List<Cloud> list) {
        Map<String, String> k = new HashMap<>();
        for (Cloud c : list) {
            k.put(c.id(), c.kind().id());
        }
        kinds = Map.copyOf(k);
    }

    /**
     * Runs {@code placement} and keeps what it reserved in one transaction (the caller's if one is open); a
     * refusal rolls back whatever the quota had begun to count, and a failure gives the capacity back.
     */
    private Placement reserve(java.util.function.Supplier<Placement> placement) {
        String[] placed = new String[1];
        try {
            return store.jdbc().tx(c -> {
                Placement p = placement.get();
                if (p.outcome() != Placement.Outcome.PLACED) {
                    throw new Refused(p);
                }
                placed[0] = p.reservationId();
                store.insert(p.reservationId(), engine.reservation(p.reservationId()));
                return p;
            });
        } catch (Refused refused) {
            return refused.placement;
        } catch (RuntimeException e) {
            if (placed[0] != null && engine.reservation(placed[0]) != null) {
                engine.release(placed[0]);
            }
            throw e;
        }
    }

    /** Carries a refusal out of the transaction so that it rolls back. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Placement placement;

        Refused(Placement placement) {
            super(null, null, false, false);
            this.placement = placement;
        }
    }

    /**
     * Checks the caller and department, then narrows the request's clouds to those the department's policy
     * allows and gives it the policy's weights when it has none.
     */
    private PlacementRequest underPolicy(PlacementRequest request, Caller caller) {
        if (request == null) {
            throw TianshuException.invalid("request", "request is required");
        }
        caller.checkAccess(request.departmentId());
        departments.get(request.departmentId());
        SchedulingPolicy policy = policy(request.departmentId());
        PlacementConstraints c = request.constraints();
        Set<String> allowed = c.allowedClouds();
        if (!policy.allowedClouds().isEmpty()) {
            if (allowed.isEmpty()) {
                allowed = policy.allowedClouds();
            } else {
                allowed = new TreeSet<>(allowed);
                allowed.retainAll(policy.allowedClouds());
                if (allowed.isEmpty()) {
                    throw TianshuException.invalid("constraints.allowedClouds", "none of " + new TreeSet<>(c.allowedClouds())
                            + " is allowed for department '" + request.departmentId() + "' by its scheduling policy (allowed: "
                            + new TreeSet<>(policy.allowedClouds()) + ")");
                }
            }
        }
        return request.with(new PlacementConstraints(allowed, c.minSecurityZone(), c.xinchuang(), c.residency(), c.zones(),
                c.affinityGroup(), c.antiAffinityGroup(), c.spreadZones(), c.gpuType()), policy.preferences());
    }

    @Override
    public void release(String reservationId, Caller caller) {
        caller.checkAccess(engine.departmentOf(reservationId));
        store.jdbc().tx(c -> {
            store.delete(reservationId);
            engine.release(reservationId);
            return null;
        });
    }

    @Override
    public void moved(String reservationId, String cloudId, String fromHost, String toHost) {
        store.jdbc().tx(c -> {
            PlacementEngine.Reservation r = engine.moved(reservationId, cloudId + "/" + fromHost, cloudId + "/" + toHost);
            if (r != null) {
                store.updateClaims(reservationId, r);
            }
            return null;
        });
    }

    @Override
    public List<Reservation> reservations(String departmentId, Caller caller) {
        if (departmentId != null) {
            caller.checkAccess(departmentId);
            departments.get(departmentId);
        }
        List<Reservation> out = new ArrayList<>();
        engine.reservationsById().forEach((id, r) -> {
            if ((departmentId == null || departmentId.equals(r.departmentId())) && caller.canAccess(r.departmentId())) {
                Map<String, Resources> hosts = new TreeMap<>();
                r.claims().forEach((host, d) -> hosts.put(host, new Resources(d[0], d[1], d[2], d[3])));
                out.add(new Reservation(id, r.departmentId(), r.hold(), r.settled(), hosts, r.affinityGroup(),
                        r.antiAffinityGroup(), r.createdAt()));
            }
        });
        out.sort(Comparator.comparing(Reservation::createdAt).thenComparing(Reservation::id));
        return out;
    }

    @Override
    public SchedulingPolicy policy(String departmentId, Caller caller) {
        caller.checkAccess(departmentId);
        departments.get(departmentId);
        return policy(departmentId);
    }

    private SchedulingPolicy policy(String departmentId) {
        return policies.computeIfAbsent(departmentId, d -> store.policy(d).orElse(SchedulingPolicy.none(d)));
    }

    @Override
    public SchedulingPolicy setPolicy(SchedulingPolicy policy, Caller caller) {
        caller.checkOperator();
        if (policy == null) {
            throw TianshuException.invalid("policy", "policy is required");
        }
        Validation.required("departmentId", policy.departmentId());
        departments.get(policy.departmentId());
        Set<String> known = new HashSet<>();
        for (Cloud cloud : clouds.list()) {
            known.add(cloud.id());
        }
        for (String cloud : policy.allowedClouds()) {
            if (!known.contains(cloud)) {
                throw TianshuException.invalid("allowedClouds", "unknown cloud '" + cloud + "'");
            }
        }
        PlacementEngine.weights(policy.preferences());
        store.setPolicy(policy);
        policies.put(policy.departmentId(), policy);
        return policy;
    }
}
