package org.tianshu.rest;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.servlet.Servlet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.Designate;
import org.tianshu.api.audit.AuditService;
import org.tianshu.api.cloud.CloudAdminService;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.dr.DrAdminService;
import org.tianshu.api.dr.DrService;
import org.tianshu.api.metrics.MetricsRecorder;
import org.tianshu.api.integration.AlarmService;
import org.tianshu.api.integration.RecommendationService;
import org.tianshu.api.integration.WebhookService;
import org.tianshu.api.plane.PathComputationService;
import org.tianshu.api.plane.PlaneAdminService;
import org.tianshu.api.plane.PlaneService;
import org.tianshu.api.provisioning.ProvisioningService;
import org.tianshu.api.scheduling.EfficiencyService;
import org.tianshu.api.scheduling.RebalanceService;
import org.tianshu.api.scheduling.SchedulerService;
import org.tianshu.api.scheduling.ShowbackService;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.QuotaService;

/** Registers {@link ApiServlet} on the HTTP Whiteboard at {@code /api/v1/*}, configured by PID {@code org.tianshu.rest}. */
@Component(service = Servlet.class, configurationPid = RestConfig.PID)
@HttpWhiteboardServletPattern("/api/v1/*")
@Designate(ocd = RestConfig.class)
public class OSGiApiServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    @Activate
    public OSGiApiServlet(@Reference CloudService clouds, @Reference CloudAdminService cloudAdmin,
            @Reference InventoryService inventory, @Reference DepartmentService departments,
            @Reference QuotaService quotas, @Reference ProvisioningService provisioning, @Reference AuditService audit,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            SchedulerService scheduler,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            EfficiencyService efficiency,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            RebalanceService rebalance,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ShowbackService showback,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            PlaneService planes,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            PlaneAdminService planeAdmin,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            PathComputationService paths,
            @Reference DrService dr, @Reference DrAdminService drAdmin,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            AlarmService alarms,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            RecommendationService recommendations,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            WebhookService webhooks,
            RestConfig config) {
        this(new Services(clouds, cloudAdmin, inventory, departments, quotas, provisioning, audit, scheduler, efficiency,
                rebalance, showback, planes, planeAdmin, paths, dr, drAdmin, alarms, recommendations,
                webhooks),
                Settings.of(config));
    }

    private OSGiApiServlet(Services services, Settings settings) {
        super(services, new JaasAuthenticator(settings.realm()), settings);
        metricsTimer.scheduleWithFixedDelay(this::recordRequests, 1, 1, TimeUnit.SECONDS);
    }

    /** Records the requests summed each second (measurement {@code api_request}). */
    private final transient ScheduledExecutorService metricsTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tianshu-rest-metrics");
        t.setDaemon(true);
        return t;
    });

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setRecorder(MetricsRecorder recorder) {
        recordWith(recorder);
    }

    void unsetRecorder(MetricsRecorder recorder) {
        if (recorder() == recorder) {
            recordWith(null);
        }
    }

    @Deactivate
    void stop() {
        metricsTimer.shutdownNow();
    }

    @Modified
    void modified(RestConfig config) {
        Settings settings = Settings.of(config);
        configure(settings, new JaasAuthenticator(settings.realm()));
    }
}
