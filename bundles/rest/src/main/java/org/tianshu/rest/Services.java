package org.tianshu.rest;

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
 * The Tianshu services the API is a thin interface over, looked up at each request. The optional ones answer null in
 * a runtime without their feature: {@code scheduler}, {@code efficiency}, {@code rebalance}, {@code showback}
 * (tianshu-scheduler), the business-plane services {@code planes}, {@code planeAdmin} (tianshu-planes) and
 * {@code paths} (tianshu-slicing), the integration services {@code alarms}, {@code recommendations} and
 * {@code webhooks} (tianshu-integration).
 */
public interface Services {
    CloudService clouds();

    CloudAdminService cloudAdmin();

    InventoryService inventory();

    DepartmentService departments();

    QuotaService quotas();

    ProvisioningService provisioning();

    AuditService audit();

    SchedulerService scheduler();

    EfficiencyService efficiency();

    RebalanceService rebalance();

    ShowbackService showback();

    PlaneService planes();

    PlaneAdminService planeAdmin();

    PathComputationService paths();

    DrService dr();

    DrAdminService drAdmin();

    AlarmService alarms();

    RecommendationService recommendations();

    WebhookService webhooks();

    /** A fixed set of services. */
    static Services of(CloudService clouds, CloudAdminService cloudAdmin, InventoryService inventory,
            DepartmentService departments, QuotaService quotas, ProvisioningService provisioning, AuditService audit,
            SchedulerService scheduler, EfficiencyService efficiency, RebalanceService rebalance, ShowbackService showback,
            PlaneService planes, PlaneAdminService planeAdmin, PathComputationService paths, DrService dr,
            DrAdminService drAdmin, AlarmService alarms, RecommendationService recommendations, WebhookService webhooks) {
        return new Fixed(clouds, cloudAdmin, inventory, departments, quotas, provisioning, audit, scheduler, efficiency,
                rebalance, showback, planes, planeAdmin, paths, dr, drAdmin, alarms, recommendations, webhooks);
    }

    /** The core services alone. */
    static Services of(CloudService clouds, CloudAdminService cloudAdmin, InventoryService inventory,
            DepartmentService departments, QuotaService quotas, ProvisioningService provisioning, AuditService audit) {
        return of(clouds, cloudAdmin, inventory, departments, quotas, provisioning, audit, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    /** Services that do not change. */
    record Fixed(CloudService clouds, CloudAdminService cloudAdmin, InventoryService inventory,
            DepartmentService departments, QuotaService quotas, ProvisioningService provisioning, AuditService audit,
            SchedulerService scheduler, EfficiencyService efficiency, RebalanceService rebalance, ShowbackService showback,
            PlaneService planes, PlaneAdminService planeAdmin, PathComputationService paths, DrService dr,
            DrAdminService drAdmin, AlarmService alarms, RecommendationService recommendations, WebhookService webhooks)
            implements Services {
    }
}
