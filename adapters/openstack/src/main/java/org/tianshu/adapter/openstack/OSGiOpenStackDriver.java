package org.tianshu.adapter.openstack;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.tianshu.api.cloud.CloudDriver;

/** Registers the OpenStack {@link CloudDriver} with {@code cloud.kind=openstack}. */
@Component(service = CloudDriver.class, property = "cloud.kind=openstack")
public class OSGiOpenStackDriver extends OpenStackDriver {
    @Activate
    public OSGiOpenStackDriver() {
        super();
    }
}
