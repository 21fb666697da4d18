package org.tianshu.dr;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.dr.DrAdminService;
import org.tianshu.api.dr.DrService;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.metrics.MetricsRecorder;
import org.tianshu.api.tenancy.DepartmentService;

/** Runs disaster recovery in the runtime (PID {@code org.tianshu.dr}): resumes runs at start, replicates periodically. */
@Component(service = {DrService.class, DrAdminService.class}, configurationPid = "org.tianshu.dr", immediate = true)
@Designate(ocd = OSGiDisasterRecovery.Config.class)
public class OSGiDisasterRecovery extends DisasterRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(OSGiDisasterRecovery.class);

    @ObjectClassDefinition(name = "Tianshu disaster recovery", description = "Replication and recovery runs")
    public @interface Config {
        @AttributeDefinition(description = "Seconds between replication passes over every protection group", min = "1")
        long replicationIntervalSeconds() default 300;

        @AttributeDefinition(description = "Calls in flight at once against one cloud (a bring-up and its wait count as one)", min = "1")
        int concurrencyPerCloud() default 16;

        @AttributeDefinition(description = "Exceptions to concurrencyPerCloud, as cloud=n")
        String[] concurrencyOverrides() default {};

        @AttributeDefinition(description = "Milliseconds between polls of a workload being brought up", min = "10")
        long pollIntervalMillis() default 1000;

        @AttributeDefinition(description = "Seconds a workload may take to become active before its step fails", min = "1")
        long activeTimeoutSeconds() default 600;

        @AttributeDefinition(description = "Attempts of a step that fails in a cloud before the step fails", min = "1")
        int attempts() default 3;

        @AttributeDefinition(description = "Seconds between attempts", min = "0")
        long retrySeconds() default 5;

        @AttributeDefinition(description = "Threads that run steps; at least the sum of the clouds' concurrency", min = "1")
        int threads() default 64;

        @AttributeDefinition(description = "Regular drills, as plan=cron expression (Unix 5 fields or Quartz 6-7 fields, local time)"
                + " or plan=ISO-8601 interval, e.g. portal-plan=0 2 * * SUN or portal-plan=P7D")
        String[] drillSchedules() default {};

        @AttributeDefinition(description = "TrueType font (.ttf, or the first font of a .ttc) embedded in PDF reports so"
                + " that Chinese names print; empty: Helvetica, which prints them as '?'")
        String reportFont() default DrPdf.DEFAULT_FONT;
    }

    /** What the constructor makes before calling super. */
    private record Parts(ScheduledExecutorService executor, AtomicReference<EventPublisher> events,
            AtomicReference<MetricsRecorder> recorder) {
    }

    private final ScheduledExecutorService executor;
    private final AtomicReference<EventPublisher> events;
    private final AtomicReference<MetricsRecorder> recorder;

    @Activate
    public OSGiDisasterRecovery(@Reference(target = "(tianshu.database=main)") DataSource dataSource,
            @Reference CloudService clouds, @Reference DepartmentService departments, Config config) {
        this(dataSource, clouds, departments, config, check(config));
    }

    private OSGiDisasterRecovery(DataSource dataSource, CloudService clouds, DepartmentService departments, Config config,
            Parts parts) {
        super(dataSource, clouds, departments, parts.executor(), new DrEngine.Settings(
                Duration.ofMillis(config.pollIntervalMillis()), Duration.ofSeconds(config.activeTimeoutSeconds()),
                config.attempts(), Duration.ofSeconds(config.retrySeconds())), config.concurrencyPerCloud(),
                CloudGate.parse("concurrencyOverrides", config.concurrencyOverrides()), parts.events()::get,
                points -> record(parts.recorder(), points));
        this.executor = parts.executor();
        this.events = parts.events();
        this.recorder = parts.recorder();
        reportFont(config.reportFont().isBlank() ? null : java.nio.file.Path.of(config.reportFont().trim()));
        scheduleDrills(executor, "drillSchedules", config.drillSchedules(), java.time.Clock.systemDefaultZone());
        recover();
        executor.scheduleWithFixedDelay(() -> {
            try {
                replicateAll();
            } catch (RuntimeException e) {
                LOG.warn("replication pass failed: {}", e.getMessage());
            }
        }, config.replicationIntervalSeconds(), config.replicationIntervalSeconds(), TimeUnit.SECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEvents(EventPublisher publisher) {
        events.set(publisher);
    }

    void unsetEvents(EventPublisher publisher) {
        events.compareAndSet(publisher, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setRecorder(MetricsRecorder metrics) {
        recorder.set(metrics);
    }

    void unsetRecorder(MetricsRecorder metrics) {
        recorder.compareAndSet(metrics, null);
    }

    /** Where DR measurements go: the runtime's metrics recorder, when the metrics bundle runs. */
    private static void record(AtomicReference<MetricsRecorder> recorder, List<MetricPoint> points) {
        MetricsRecorder r = recorder.get();
        if (r != null) {
            r.record(points);
        }
    }

    private static Parts check(Config c) {
        if (c.replicationIntervalSeconds() < 1 || c.concurrencyPerCloud() < 1 || c.pollIntervalMillis() < 10
                || c.activeTimeoutSeconds() < 1 || c.attempts() < 1 || c.retrySeconds() < 0 || c.threads() < 1) {
            throw new IllegalArgumentException("org.tianshu.dr: replicationIntervalSeconds >= 1, concurrencyPerCloud >= 1,"
                    + " pollIntervalMillis >= 10, activeTimeoutSeconds >= 1, attempts >= 1, retrySeconds >= 0 and"
                    + " threads >= 1 are required");
        }
        return new Parts(Executors.newScheduledThreadPool(c.threads(), r -> new Thread(r, "tianshu-dr")),
                new AtomicReference<>(), new AtomicReference<>());
    }

    @Deactivate
    void deactivate() {
        stop();
        executor.shutdownNow();
    }
}
