package org.tianshu.integration;

/** Adds and removes the routes of webhooks on the runtime's Camel context. */
final class Webhooks {
    private final CamelRuntime camel;
    private final DeadLetterStore deadLetters;

    Webhooks(CamelRuntime camel, DeadLetterStore deadLetters) {
        this.camel = camel;
        this.deadLetters = deadLetters;
    }

    /** Starts posting the webhook's events (replacing a webhook of the same name). */
    synchronized void add(WebhookConfig config) {
        remove(config.name());
        camel.addRoutes(new WebhookRoutes(config, deadLetters));
    }

    /** Stops posting, waiting up to the context's shutdown timeout for events being retried. */
    synchronized void remove(String name) {
        camel.removeRoute(WebhookRoutes.routeId(name));
        camel.removeRoute(WebhookRoutes.deadLetterRouteId(name));
    }
}
