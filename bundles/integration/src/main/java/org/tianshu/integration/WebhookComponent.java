package org.tianshu.integration;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One outbound webhook per configuration of the factory PID {@code org.tianshu.integration.webhook}, e.g.
 * {@code etc/org.tianshu.integration.webhook-ticketing.cfg}. A bad value fails the activation with a message naming
 * the key; other webhooks and routes keep running.
 */
@Component(service = {}, configurationPid = "org.tianshu.integration.webhook",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WebhookComponent.Config.class, factory = true)
public class WebhookComponent {

    @ObjectClassDefinition(name = "Tianshu webhook", description = "HTTP POST of selected events, with retries and dead letters")
    public @interface Config {
        @AttributeDefinition(description = "Short name (lower-case letters, digits, -): names the routes and dead letters")
        String name();

        @AttributeDefinition(description = "http or https URL the events are posted to as JSON")
        String url();

        @AttributeDefinition(description = "Comma-separated event types to post, e.g. PLANE_SLO_VIOLATED,SITE_UNREACHABLE; empty for all", required = false)
        String types() default "";

        @AttributeDefinition(description = "Attempts after the first before the event goes to the dead letters", min = "0")
        int retries() default 5;

        @AttributeDefinition(description = "Milliseconds before the first retry, doubled for each further one", min = "1")
        long backoffMillis() default 1000;

        @AttributeDefinition(description = "Longest delay between two retries, in milliseconds", min = "1")
        long maxBackoffMillis() default 60000;

        @AttributeDefinition(description = "Milliseconds one POST may take", min = "1")
        long timeoutMillis() default 10000;
    }

    private final Webhooks webhooks;
    private final String name;

    @Activate
    public WebhookComponent(@Reference IntegrationComponent integration, Config config) {
        WebhookConfig webhook = WebhookConfig.of(config.name(), config.url(), config.types(), config.retries(),
                config.backoffMillis(), config.maxBackoffMillis(), config.timeoutMillis());
        this.webhooks = integration.webhooks();
        this.name = webhook.name();
        webhooks.add(webhook);
    }

    @Deactivate
    void deactivate() {
        webhooks.remove(name);
    }
}
