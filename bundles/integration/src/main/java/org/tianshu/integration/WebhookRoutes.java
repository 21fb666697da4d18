package org.tianshu.integration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.tianshu.api.event.Event;

/**
 * The two routes of one webhook: {@code webhook-<name>} posts every selected event as JSON, retrying with exponential
 * backoff (asynchronously: the event bus is not held up by a failing server), and hands what still fails to
 * {@code webhook-<name>-dead-letters}, which stores it in the database.
 */
final class WebhookRoutes extends RouteBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ATTEMPTS = "TianshuWebhookAttempts";

    private final WebhookConfig config;
    private final WebhookSender sender;
    private final DeadLetterStore deadLetters;

    WebhookRoutes(WebhookConfig config, DeadLetterStore deadLetters) {
        this.config = config;
        this.sender = deadLetters.sender();
        this.deadLetters = deadLetters;
    }

    static String routeId(String name) {
        return "webhook-" + name;
    }

    static String deadLetterRouteId(String name) {
        return "webhook-" + name + "-dead-letters";
    }

    @Override
    public void configure() {
        String name = config.name();
        String deadLetterUri = "direct:" + deadLetterRouteId(name);
        errorHandler(deadLetterChannel(deadLetterUri)
                .maximumRedeliveries(config.retries())
                .redeliveryDelay(config.backoffMillis())
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(config.maxBackoffMillis())
                .asyncDelayedRedelivery()
                .retryAttemptedLogLevel(LoggingLevel.DEBUG));

        from(EventComponent.SCHEME + ":" + routeId(name) + config.endpointTypes()).routeId(routeId(name))
                .process(x -> x.getMessage().setBody(json(x.getMessage().getBody(Event.class))))
                .process(x -> {
                    // redelivery runs this processor again, with the same exchange
                    x.setProperty(ATTEMPTS, x.getProperty(ATTEMPTS, 0, Integer.class) + 1);
                    sender.post(config.url(), x.getMessage().getBody(String.class),
                            Duration.ofMillis(config.timeoutMillis()));
                });

        from(deadLetterUri).routeId(deadLetterRouteId(name))
                .process(x -> {
                    Throwable cause = x.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                    int attempts = x.getProperty(ATTEMPTS, 0, Integer.class);
                    String error = cause == null ? "unknown" : String.valueOf(cause.getMessage());
                    deadLetters.store(name, config.url(), x.getMessage().getHeader(EventComponent.TYPE, String.class),
                            x.getMessage().getHeader(EventComponent.SUBJECT, String.class),
                            x.getMessage().getBody(String.class), attempts, error);
                    log.warn("webhook {}: {} {} not delivered after {} attempts ({}), kept as a dead letter", name,
                            x.getMessage().getHeader(EventComponent.TYPE), x.getMessage().getHeader(EventComponent.SUBJECT),
                            attempts, error);
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
