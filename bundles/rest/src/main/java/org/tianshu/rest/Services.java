package org.tianshu.rest;

import org.tianshu.api.audit.AuditService;
import org.tianshu.api.cloud.CloudAdminService;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.plane.PathComputationService;
import org.tianshu.api.plane.PlaneAdminService;
import org.tianshu.api.plane.PlaneService;
import org.tianshu.api.provisioning.ProvisioningService;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.QuotaService;

/**
 * The Tianshu services the API is a thin interface over. The business-plane services ({@code planes},
 * {@code planeAdmin}, {@code paths}) are null in a runtime without them (features tianshu-planes, tianshu-slicing).
 */
public record Services(CloudService clouds, CloudAdminService cloudAdmin, InventoryService inventory,
        DepartmentService departments, QuotaService quotas, ProvisioningService provisioning, AuditService audit,
        PlaneService planes, PlaneAdminService planeAdmin, PathComputationService paths) {

    /** The core services without business planes. */
    public Services(CloudService clouds, CloudAdminService cloudAdmin, InventoryService inventory,
            DepartmentService departments, QuotaService quotas, ProvisioningService provisioning, AuditService audit) {
        this(clouds, cloudAdmin, inventory, departments, quotas, provisioning, audit, null, null, null);
    }
}
