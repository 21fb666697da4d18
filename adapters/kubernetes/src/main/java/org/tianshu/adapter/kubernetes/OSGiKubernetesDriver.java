package org.tianshu.adapter.kubernetes;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudDriver;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.Credentials;

/** Registers the {@link KubernetesDriver} as the {@code CloudDriver} with {@code cloud.kind=kubernetes}. */
@Component(service = CloudDriver.class, property = "cloud.kind=kubernetes",
        configurationPid = "org.tianshu.adapter.kubernetes")
@Designate(ocd = OSGiKubernetesDriver.Config.class)
public final class OSGiKubernetesDriver implements CloudDriver {

    /** Settings shared by every Kubernetes cloud. */
    @ObjectClassDefinition(name = "Tianshu Kubernetes driver", description = "How Tianshu talks to Kubernetes API servers")
    public @interface Config {
        @AttributeDefinition(description = "TCP/TLS connect timeout in milliseconds")
        int connectTimeoutMs() default 5_000;

        @AttributeDefinition(description = "Timeout of one API request in milliseconds (large lists included)")
        int requestTimeoutMs() default 120_000;

        @AttributeDefinition(description = "Retries of a failed request, with exponential back-off from 100 ms")
        int retries() default 2;

        @AttributeDefinition(description = "limit of each list call during discovery (0 = everything in one call)")
        int listPageSize() default 5_000;
    }

    private final KubernetesDriver driver;

    @Activate
    public OSGiKubernetesDriver(Config config) {
        this.driver = new KubernetesDriver(new DriverSettings(config.connectTimeoutMs(), config.requestTimeoutMs(),
                config.retries(), config.listPageSize()));
    }

    @Override
    public CloudKind kind() {
        return driver.kind();
    }

    @Override
    public CloudSession open(Cloud cloud, Credentials credentials) {
        return driver.open(cloud, credentials);
    }
}
