package org.tianshu.rest;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tianshu.api.audit.AuditService;
import org.tianshu.api.cloud.CloudAdminService;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.dr.DrAdminService;
import org.tianshu.api.dr.DrService;
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

/**
 * The services of the running platform for {@link OSGiApiServlet}. The optional ones are dynamic references, so that a
 * feature starting or stopping changes what the API can answer without the servlet being unregistered and registered
 * again: that re-registration answered 404 for a moment after every restart.
 */
@Component(service = Services.class)
public class OSGiServices implements Services {
    @Reference
    private CloudService clouds;
    @Reference
    private CloudAdminService cloudAdmin;
    @Reference
    private InventoryService inventory;
    @Reference
    private DepartmentService departments;
    @Reference
    private QuotaService quotas;
    @Reference
    private ProvisioningService provisioning;
    @Reference
    private AuditService audit;
    @Reference
    private DrService dr;
    @Reference
    private DrAdminService drAdmin;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SchedulerService scheduler;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EfficiencyService efficiency;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RebalanceService rebalance;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ShowbackService showback;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PlaneService planes;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PlaneAdminService planeAdmin;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PathComputationService paths;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AlarmService alarms;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RecommendationService recommendations;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile WebhookService webhooks;

    @Override
    public CloudService clouds() {
        return clouds;
    }

    @Override
    public CloudAdminService cloudAdmin() {
        return cloudAdmin;
    }

    @Override
    public InventoryService inventory() {
        return inventory;
    }

    @Override
    public DepartmentService departments() {
        return departments;
    }

    @Override
    public QuotaService quotas() {
        return quotas;
    }

    @Override
    public ProvisioningService provisioning() {
        return provisioning;
    }

    @Override
    public AuditService audit() {
        return audit;
    }

    @Override
    public DrService dr() {
        return dr;
    }

    @Override
    public DrAdminService drAdmin() {
        return drAdmin;
    }

    @Override
    public SchedulerService scheduler() {
        return scheduler;
    }

    @Override
    public EfficiencyService efficiency() {
        return efficiency;
    }

    @Override
    public RebalanceService rebalance() {
        return rebalance;
    }

    @Override
    public ShowbackService showback() {
        return showback;
    }

    @Override
    public PlaneService planes() {
        return planes;
    }

    @Override
    public PlaneAdminService planeAdmin() {
        return planeAdmin;
    }

    @Override
    public PathComputationService paths() {
        return paths;
    }

    @Override
    public AlarmService alarms() {
        return alarms;
    }

    @Override
    public RecommendationService recommendations() {
        return recommendations;
    }

    @Override
    public WebhookService webhooks() {
        return webhooks;
    }
}
