package org.tianshu.scheduler;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.scheduling.Placement;
import org.tianshu.api.scheduling.PlacementRequest;
import org.tianshu.api.scheduling.PlacementScorer;
import org.tianshu.api.scheduling.SchedulerService;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.QuotaService;

/**
 * Runs the placement engine in the runtime (PID {@code org.tianshu.scheduler}): builds its snapshot from the
 * inventory at start and every {@code refreshSeconds}, reserves quota through {@link QuotaService} and uses every
 * registered {@link PlacementScorer}.
 */
@Component(service = SchedulerService.class, configurationPid = "org.tianshu.scheduler")
@Designate(ocd = SchedulerComponent.Config.class)
public class SchedulerComponent implements SchedulerService {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerComponent.class);

    @ObjectClassDefinition(name = "Tianshu scheduler", description = "Placement of workloads across clouds")
    public @interface Config {
        @AttributeDefinition(description = "Seconds between refreshes of the engine's snapshot from the inventory; 0 turns them off", min = "0")
        int refreshSeconds() default 30;
    }

    private final CloudService clouds;
    private final InventoryService inventory;
    private final DepartmentService departments;
    private final PlacementEngine engine;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "tianshu-scheduler-refresh"));

    @Activate
    public SchedulerComponent(@Reference CloudService clouds, @Reference InventoryService inventory,
            @Reference DepartmentService departments, @Reference QuotaService quotas, Config config) {
        this(clouds, inventory, departments, quotas, config.refreshSeconds());
    }

    /** The scheduler without OSGi, refreshed every {@code refreshSeconds} (0: only by {@link #refreshNow()}). */
    public SchedulerComponent(CloudService clouds, InventoryService inventory, DepartmentService departments,
            QuotaService quotas, int refreshSeconds) {
        if (refreshSeconds < 0) {
            throw new IllegalArgumentException("org.tianshu.scheduler: refreshSeconds must be 0 or more, got " + refreshSeconds);
        }
        this.clouds = clouds;
        this.inventory = inventory;
        this.departments = departments;
        this.engine = new PlacementEngine(clouds.list(), inventory.hosts(null), quotas);
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

    /** Rebuilds the snapshot from the inventory now, ending the holds whose workloads it reports. */
    public void refreshNow() {
        Set<String> inInventory = new HashSet<>();
        for (Workload w : inventory.workloads(null, null)) {
            if (w.requestId() != null) {
                inInventory.add(w.requestId());
            }
        }
        engine.refresh(clouds.list(), inventory.hosts(null), inInventory);
    }

    @Override
    public Placement place(PlacementRequest request, boolean dryRun, Caller caller) {
        if (request == null) {
            throw TianshuException.invalid("request", "request is required");
        }
        caller.checkAccess(request.departmentId());
        departments.get(request.departmentId());
        return engine.place(request, dryRun);
    }

    @Override
    public Placement hold(PlacementRequest request, String holdId, Caller caller) {
        if (request == null) {
            throw TianshuException.invalid("request", "request is required");
        }
        caller.checkAccess(request.departmentId());
        departments.get(request.departmentId());
        return engine.hold(request, holdId);
    }

    @Override
    public void release(String reservationId, Caller caller) {
        caller.checkAccess(engine.departmentOf(reservationId));
        engine.release(reservationId);
    }
}
