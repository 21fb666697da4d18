package org.tianshu.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.metrics.MetricsRecorder;
import org.tianshu.api.scheduling.Efficiency;
import org.tianshu.api.scheduling.EfficiencyService;
import org.tianshu.api.scheduling.Usage;
import org.tianshu.api.scheduling.UsageSource;
import org.tianshu.api.tenancy.Quota;
import org.tianshu.api.tenancy.QuotaService;
import org.tianshu.persistence.Jdbc;

/**
 * Evaluates efficiency on request and every {@code efficiencySeconds} (configured with the scheduler, PID
 * {@code org.tianshu.scheduler}); each periodic evaluation tracks idleness and is recorded with the
 * {@link MetricsRecorder} (when the metrics bundle runs) as measurement {@code efficiency}, and publishes a
 * {@code CAPACITY_THRESHOLD} event (when an {@link EventPublisher} runs) each time a cloud's allocation share crosses
 * {@code capacityThreshold} (see {@link CapacityWatch}).
 */
@Component(service = EfficiencyService.class, configurationPid = "org.tianshu.scheduler", immediate = true)
public class EfficiencyComponent implements EfficiencyService {
    private static final Logger LOG = LoggerFactory.getLogger(EfficiencyComponent.class);

    private final Jdbc jdbc;
    private final CloudService clouds;
    private final InventoryService inventory;
    private final QuotaService quotas;
    private final EfficiencyEvaluator evaluator;
    private final List<UsageSource> sources = new CopyOnWriteArrayList<>();
    private final CapacityWatch capacity;
    private volatile MetricsRecorder recorder;
    private volatile EventPublisher events;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "tianshu-efficiency"));

    @Activate
    public EfficiencyComponent(@Reference(target = "(tianshu.database=main)") DataSource dataSource,
            @Reference CloudService clouds, @Reference InventoryService inventory, @Reference QuotaService quotas,
            SchedulerComponent.Config config) {
        this(dataSource, clouds, inventory, quotas, settings(config), capacityThreshold(config), Clock.systemUTC(),
                config.efficiencySeconds());
    }

    /** The evaluator without OSGi, with the configuration's defaults, evaluating only on request. */
    public EfficiencyComponent(DataSource dataSource, CloudService clouds, InventoryService inventory, QuotaService quotas,
            Clock clock) {
        this(dataSource, clouds, inventory, quotas, settings(defaults()), capacityThreshold(defaults()), clock, 0);
    }

    EfficiencyComponent(DataSource dataSource, CloudService clouds, InventoryService inventory, QuotaService quotas,
            EfficiencyEvaluator.Settings settings, double capacityThreshold, Clock clock, int periodSeconds) {
        this.jdbc = new Jdbc(dataSource);
        this.clouds = clouds;
        this.inventory = inventory;
        this.quotas = quotas;
        Map<String, Instant> kept = new HashMap<>();
        jdbc.query("SELECT cloud_id, external_id, low_since FROM workload_low_use",
                rs -> kept.put(rs.getString(1) + "/" + rs.getString(2), Jdbc.instant(rs, "low_since")));
        this.evaluator = new EfficiencyEvaluator(settings, clock, kept);
        this.capacity = new CapacityWatch(capacityThreshold);
        if (periodSeconds > 0) {
            timer.scheduleWithFixedDelay(this::export, periodSeconds, periodSeconds, TimeUnit.SECONDS);
        }
    }

    /** The configuration with every attribute at its default. */
    private static SchedulerComponent.Config defaults() {
        return (SchedulerComponent.Config) java.lang.reflect.Proxy.newProxyInstance(SchedulerComponent.Config.class.getClassLoader(),
                new Class<?>[] {SchedulerComponent.Config.class}, (proxy, m, args) -> m.getDefaultValue());
    }

    static EfficiencyEvaluator.Settings settings(SchedulerComponent.Config c) {
        String pid = "org.tianshu.scheduler: ";
        if (c.efficiencySeconds() < 0 || c.idleHours() < 0) {
            throw new IllegalArgumentException(pid + "efficiencySeconds and idleHours must be 0 or more");
        }
        if (!(c.overloadThreshold() > 0) || !(c.idleThreshold() >= 0) || c.idleThreshold() >= 1) {
            throw new IllegalArgumentException(pid + "overloadThreshold must be above 0 and idleThreshold from 0 to below 1, got "
                    + c.overloadThreshold() + " and " + c.idleThreshold());
        }
        if (c.referenceCpuMillis() < 1 || c.referenceMemoryMiB() < 1) {
            throw new IllegalArgumentException(pid + "referenceCpuMillis and referenceMemoryMiB must be at least 1");
        }
        return new EfficiencyEvaluator.Settings(c.overloadThreshold(), c.idleThreshold(), Duration.ofHours(c.idleHours()),
                new Resources(c.referenceCpuMillis(), c.referenceMemoryMiB(), 0, 0));
    }

    static double capacityThreshold(SchedulerComponent.Config c) {
        if (!(c.capacityThreshold() > 0)) {
            throw new IllegalArgumentException("org.tianshu.scheduler: capacityThreshold must be above 0, got "
                    + c.capacityThreshold());
        }
        return c.capacityThreshold();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addUsageSource(UsageSource source) {
        sources.add(source);
    }

    public void removeUsageSource(UsageSource source) {
        sources.remove(source);
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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public void setEventPublisher(EventPublisher publisher) {
        events = publisher;
    }

    public void unsetEventPublisher(EventPublisher publisher) {
        if (events == publisher) {
            events = null;
        }
    }

    @Deactivate
    public void deactivate() {
        timer.shutdownNow();
    }

    /** Evaluates now, records the points and publishes the capacity thresholds crossed since the last time. */
    public Efficiency export() {
        try {
            Efficiency e = evaluate();
            MetricsRecorder r = recorder;
            if (r != null) {
                r.record(EfficiencyEvaluator.points(e));
            }
            // the crossings are tracked with or without a publisher, so that one arriving later hears only new ones
            List<Event> crossed = capacity.crossings(e);
            EventPublisher p = events;
            if (p != null) {
                crossed.forEach(p::publish);
            }
            return e;
        } catch (RuntimeException ex) {
            LOG.warn("efficiency evaluation failed", ex);
            return null;
        }
    }

    private Efficiency evaluate() {
        List<Usage> usage = new ArrayList<>();
        for (UsageSource s : sources) {
            try {
                usage.addAll(s.sample());
            } catch (RuntimeException ex) {
                LOG.warn("usage source {} failed; judging without it", s, ex);
            }
        }
        Efficiency e = evaluator.evaluate(clouds.list(), inventory.hosts(null), inventory.workloads(null, null), usage,
                this::quotaOf);
        keep(evaluator.lowSince());
        return e;
    }

    /** Keeps the idle history, so that a restart does not start every workload's idle period again. */
    private void keep(Map<String, Instant> lowSince) {
        jdbc.tx(c -> {
            jdbc.update("DELETE FROM workload_low_use");
            List<Object[]> rows = new ArrayList<>();
            lowSince.forEach((key, since) -> {
                int slash = key.indexOf('/');
                rows.add(new Object[] {key.substring(0, slash), key.substring(slash + 1), since});
            });
            if (!rows.isEmpty()) {
                jdbc.batch("INSERT INTO workload_low_use(cloud_id, external_id, low_since) VALUES (?, ?, ?)", rows);
            }
            return null;
        });
    }

    /** A department's all-clouds CPU and memory quota, null if neither is set. */
    private Resources quotaOf(String departmentId) {
        long cpu = 0;
        long memory = 0;
        boolean set = false;
        List<Quota> limits;
        try {
            limits = quotas.list(departmentId, Caller.SYSTEM);
        } catch (TianshuException e) {
            // a namespace or project that maps to no Tianshu department
            return null;
        }
        for (Quota q : limits) {
            if (Quota.ALL_CLOUDS.equals(q.cloudId())) {
                switch (q.resource()) {
                    case CPU -> {
                        cpu = q.limit();
                        set = true;
                    }
                    case MEMORY -> {
                        memory = q.limit();
                        set = true;
                    }
                    default -> {
                        // not judged
                    }
                }
            }
        }
        return set ? new Resources(cpu, memory, 0, 0) : null;
    }

    @Override
    public Efficiency evaluate(Caller caller) {
        Efficiency e = evaluate();
        if (caller.isOperator()) {
            return e;
        }
        return new Efficiency(e.at(), List.of(), e.departments().stream().filter(l -> caller.canAccess(l.id())).toList(),
                List.of(), e.workloads().stream().filter(w -> w.departmentId() != null && caller.canAccess(w.departmentId())).toList());
    }
}
