package org.tianshu.rest;

import org.tianshu.api.audit.AuditService;
import org.tianshu.api.cloud.CloudAdminService;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.provisioning.ProvisioningService;
import org.tianshu.api.scheduling.EfficiencyService;
import org.tianshu.api.scheduling.RebalanceService;
import org.tianshu.api.scheduling.SchedulerService;
import org.tianshu.api.scheduling.ShowbackService;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.QuotaService;

/**
 * The Tianshu services the API is a thin interface over; {@code scheduler}, {@code efficiency},
 * {@code rebalance} and {@code showback} are null when the scheduler is not installed.
 */
public record Services(CloudService clouds, CloudAdminService cloudAdmin, InventoryService inventory,
        DepartmentService departments, QuotaService quotas, ProvisioningService provisioning, AuditService audit,
        SchedulerService scheduler, EfficiencyService efficiency, RebalanceService rebalance, ShowbackService showback) {
    /** The services without a scheduler. */
    public Services(CloudService clouds, CloudAdminService cloudAdmin, InventoryService inventory,
            DepartmentService departments, QuotaService quotas, ProvisioningService provisioning, AuditService audit) {
        this(clouds, cloudAdmin, inventory, departments, quotas, provisioning, audit, null, null, null, null);
    }
}
