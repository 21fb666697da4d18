package org.tianshu.integration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.tianshu.api.event.Event;

/**
 * The route of one webhook, {@code webhook-<name>}: keeps every selected event as JSON in the webhook's outbox (in the
 * database, so the promise survives a restart) and wakes its {@link WebhookDelivery}, which posts, retries with
 * exponential backoff and hands what still fails to the dead letters. The bus thread never waits for the HTTP server;
 * a database that refuses the entry is retried with the webhook's backoff before the event is logged as not kept.
 */
final class WebhookRoutes extends RouteBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookConfig config;
    private final WebhookOutbox outbox;
    private final WebhookDelivery delivery;

    WebhookRoutes(WebhookConfig config, WebhookOutbox outbox, WebhookDelivery delivery) {
        this.config = config;
        this.outbox = outbox;
        this.delivery = delivery;
    }

    static String routeId(String name) {
        return "webhook-" + name;
    }

    @Override
    public void configure() {
        String name = config.name();
        errorHandler(defaultErrorHandler()
                .maximumRedeliveries(config.retries())
                .redeliveryDelay(config.backoffMillis())
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(config.maxBackoffMillis())
                .asyncDelayedRedelivery()
                .retryAttemptedLogLevel(LoggingLevel.DEBUG));

        from(EventComponent.SCHEME + ":" + routeId(name) + config.endpointTypes()).routeId(routeId(name))
                .process(x -> x.getMessage().setBody(json(x.getMessage().getBody(Event.class))))
                .process(x -> {
                    outbox.promise(name, x.getMessage().getHeader(EventComponent.TYPE, String.class),
                            x.getMessage().getHeader(EventComponent.SUBJECT, String.class),
                            x.getMessage().getBody(String.class));
                    delivery.wake();
                });
    }

    /** {@code {"type":..., "subject":..., "department":..., "cloud":..., "attributes":{...}, "at":"..."}}. */
    static String json(Event e) throws JsonProcessingException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.type().name());
        m.put("subject", e.subject());
        m.put("department", e.departmentId());
        m.put("cloud", e.cloudId());
        m.put("attributes", e.attributes());
        m.put("at", e.at().toString());
        return JSON.writeValueAsString(m);
    }
}
