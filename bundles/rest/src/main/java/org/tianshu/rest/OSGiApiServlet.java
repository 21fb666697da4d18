package org.tianshu.rest;

import javax.servlet.Servlet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.Designate;
import org.tianshu.api.audit.AuditService;
import org.tianshu.api.cloud.CloudAdminService;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.dr.DrAdminService;
import org.tianshu.api.dr.DrService;
import org.tianshu.api.provisioning.ProvisioningService;
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
            @Reference DrService dr, @Reference DrAdminService drAdmin,
            RestConfig config) {
        this(new Services(clouds, cloudAdmin, inventory, departments, quotas, provisioning, audit, dr, drAdmin),
                Settings.of(config));
    }

    private OSGiApiServlet(Services services, Settings settings) {
        super(services, new JaasAuthenticator(settings.realm()), settings);
    }

    @Modified
    void modified(RestConfig config) {
        Settings settings = Settings.of(config);
        configure(settings, new JaasAuthenticator(settings.realm()));
    }
}
