package org.tianshu.provisioning;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
import org.tianshu.api.Caller;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningService;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.scheduling.Preferences;
import org.tianshu.api.scheduling.SchedulerService;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.QuotaService;

/** Runs the provisioning engine in the runtime (PID {@code org.tianshu.provisioning}) and resumes sagas at start. */
@Component(service = ProvisioningService.class, configurationPid = "org.tianshu.provisioning", immediate = true)
@Designate(ocd = ProvisioningComponent.Config.class)
public class ProvisioningComponent implements ProvisioningService {

    @ObjectClassDefinition(name = "Tianshu provisioning", description = "Timings of the provisioning saga")
    public @interface Config {
        @AttributeDefinition(description = "Milliseconds between polls of a workload being created or deleted", min = "10")
        long pollIntervalMillis() default 1000;

        @AttributeDefinition(description = "Seconds a workload may take to become active before it is rolled back", min = "1")
        long activeTimeoutSeconds() default 600;

        @AttributeDefinition(description = "Seconds before a failed cleanup step is tried again", min = "1")
        long retrySeconds() default 10;

        @AttributeDefinition(description = "Threads that run saga steps", min = "1")
        int threads() default 4;

        @AttributeDefinition(description = "Other clouds a scheduled request tries, next best first, when the cloud chosen"
                + " for it refuses to create it for lack of capacity or quota; 0 fails it at the first refusal", min = "0")
        int otherClouds() default 1;
    }

    private final ScheduledExecutorService executor;
    private final ProvisioningEngine engine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventPublisher events;

    /** Chooses the cloud of requests that name none; without it they are refused. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SchedulerService scheduler;

    @Activate
    public ProvisioningComponent(@Reference(target = "(tianshu.database=main)") DataSource dataSource,
            @Reference CloudService clouds, @Reference DepartmentService departments, @Reference QuotaService quotas,
            Config config) {
        if (config.pollIntervalMillis() < 10 || config.activeTimeoutSeconds() < 1 || config.retrySeconds() < 1
                || config.threads() < 1 || config.otherClouds() < 0) {
            throw new IllegalArgumentException("org.tianshu.provisioning: pollIntervalMillis >= 10, activeTimeoutSeconds >= 1,"
                    + " retrySeconds >= 1, threads >= 1 and otherClouds >= 0 are required");
        }
        executor = Executors.newScheduledThreadPool(config.threads(), r -> new Thread(r, "tianshu-provisioning"));
        engine = new ProvisioningEngine(dataSource, clouds, departments, quotas, executor,
                new ProvisioningEngine.Settings(Duration.ofMillis(config.pollIntervalMillis()),
                        Duration.ofSeconds(config.activeTimeoutSeconds()), Duration.ofSeconds(config.retrySeconds()),
                        config.otherClouds()),
                new JournalEvents(() -> events), () -> scheduler);
        engine.recover();
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Override
    public Provisioning submit(String cloudId, WorkloadSpec spec, String idempotencyKey, Caller caller) {
        return engine.submit(cloudId, spec, idempotencyKey, caller);
    }

    @Override
    public Provisioning submit(WorkloadSpec spec, PlacementConstraints constraints, Preferences preferences,
            String idempotencyKey, Caller caller) {
        return engine.submit(spec, constraints, preferences, idempotencyKey, caller);
    }

    @Override
    public Provisioning get(String id, Caller caller) {
        return engine.get(id, caller);
    }

    @Override
    public List<Provisioning> list(String departmentId, Caller caller) {
        return engine.list(departmentId, caller);
    }

    @Override
    public Provisioning await(String id, Duration timeout, Caller caller) {
        return engine.await(id, timeout, caller);
    }

    @Override
    public Provisioning delete(String id, Caller caller) {
        return engine.delete(id, caller);
    }
}
