package org.tianshu.integration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Adds and removes webhooks: the route on the runtime's Camel context and the delivery thread of each. */
final class Webhooks implements AutoCloseable {
    private final CamelRuntime camel;
    private final WebhookOutbox outbox;
    private final WebhookSender sender;
    private final Map<String, WebhookDelivery> deliveries = new HashMap<>();

    Webhooks(CamelRuntime camel, WebhookOutbox outbox, WebhookSender sender) {
        this.camel = camel;
        this.outbox = outbox;
        this.sender = sender;
    }

    /** Starts posting the webhook's events (replacing a webhook of the same name), first what its outbox holds. */
    synchronized void add(WebhookConfig config) {
        remove(config.name());
        WebhookDelivery delivery = new WebhookDelivery(config, outbox, sender);
        try {
            camel.addRoutes(new WebhookRoutes(config, outbox, delivery));
        } catch (RuntimeException e) {
            delivery.close();
            throw e;
        }
        deliveries.put(config.name(), delivery);
    }

    /** Stops posting; what the outbox holds for the webhook stays there for its next start. */
    synchronized void remove(String name) {
        camel.removeRoute(WebhookRoutes.routeId(name));
        WebhookDelivery delivery = deliveries.remove(name);
        if (delivery != null) {
            delivery.close();
        }
    }

    @Override
    public synchronized void close() {
        for (String name : List.copyOf(deliveries.keySet())) {
            remove(name);
        }
    }
}
