package org.tianshu.adapter.opendaylight;

import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tianshu.api.plane.NetworkController;

/** The OpenDaylight controller in the runtime; created once PID {@code org.tianshu.adapter.opendaylight} is configured. */
@Component(service = NetworkController.class, configurationPid = "org.tianshu.adapter.opendaylight",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = "tianshu.controller=" + OpenDaylightController.NAME)
@Designate(ocd = OSGiOpenDaylightController.Config.class)
public class OSGiOpenDaylightController extends OpenDaylightController {

    @ObjectClassDefinition(name = "Tianshu OpenDaylight controller",
            description = "Business planes written to NETCONF-mounted routers through OpenDaylight's RESTCONF")
    public @interface Config {
        @AttributeDefinition(description = "RESTCONF root of the controller, e.g. http://127.0.0.1:8888/restconf")
        String url() default "http://127.0.0.1:8888/restconf";

        @AttributeDefinition(description = "User for HTTP Basic authentication; empty when the controller has none",
                required = false)
        String username() default "";

        @AttributeDefinition(description = "Password for HTTP Basic authentication", type = AttributeType.PASSWORD,
                required = false)
        String password() default "";

        @AttributeDefinition(description = "Milliseconds to wait for a connection", min = "1")
        long connectTimeoutMillis() default 2000;

        @AttributeDefinition(description = "Milliseconds to wait for one answer (writes go through to the device)",
                min = "1")
        long requestTimeoutMillis() default 15000;

        @AttributeDefinition(description = "Topology source: the NETCONF topology whose connected nodes, each carrying "
                + "the tianshu-plane model, are the backbone routers")
        String topologyId() default "topology-netconf";
    }

    @Activate
    public OSGiOpenDaylightController(Config c) {
        super(new RestconfSettings(c.url(), c.username(), c.password(), Duration.ofMillis(c.connectTimeoutMillis()),
                Duration.ofMillis(c.requestTimeoutMillis()), c.topologyId()));
    }
}
