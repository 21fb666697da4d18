package org.tianshu.rest;

import org.tianshu.api.audit.AuditService;
import org.tianshu.api.cloud.CloudAdminService;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.dr.DrAdminService;
import org.tianshu.api.dr.DrService;
import org.tianshu.api.provisioning.ProvisioningService;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.QuotaService;

/** The Tianshu services the API is a thin interface over. */
public record Services(CloudService clouds, CloudAdminService cloudAdmin, InventoryService inventory,
        DepartmentService departments, QuotaService quotas, ProvisioningService provisioning, AuditService audit,
        DrService dr, DrAdminService drAdmin) {
}
