package org.tianshu.integration;

import java.net.URI;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.EventType;

/**
 * One outbound webhook, validated.
 *
 * @param name short name, letters, digits and {@code -}; names its routes and dead letters
 * @param url http or https URL the events are posted to
 * @param types the event types posted; all when empty
 * @param retries attempts after the first before the event goes to the dead letters
 * @param backoffMillis delay before the first retry; doubled for each further one
 * @param maxBackoffMillis longest delay between two retries
 * @param timeoutMillis how long one POST may take
 */
public record WebhookConfig(String name, URI url, Set<EventType> types, int retries, long backoffMillis,
        long maxBackoffMillis, long timeoutMillis) {

    /** Validates raw configuration values; INVALID naming the key on a bad one. */
    public static WebhookConfig of(String name, String url, String types, int retries, long backoffMillis,
            long maxBackoffMillis, long timeoutMillis) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw TianshuException.invalid("name", "a webhook needs a name of lower-case letters, digits and '-', got '"
                    + name + "'");
        }
        URI uri;
        try {
            uri = URI.create(url == null ? "" : url.trim());
        } catch (IllegalArgumentException e) {
            throw TianshuException.invalid("url", "webhook " + name + ": not a URL: " + url);
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw TianshuException.invalid("url", "webhook " + name + ": an http or https URL is required, got '"
                    + url + "'");
        }
        EnumSet<EventType> set = EnumSet.noneOf(EventType.class);
        if (types != null) {
            for (String t : types.split(",")) {
                if (t.isBlank()) {
                    continue;
                }
                try {
                    set.add(EventType.valueOf(t.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw TianshuException.invalid("types", "webhook " + name + ": unknown event type '" + t.trim()
                            + "', known: " + EnumSet.allOf(EventType.class));
                }
            }
        }
        if (retries < 0) {
            throw TianshuException.invalid("retries", "webhook " + name + ": 0 or more, got " + retries);
        }
        if (backoffMillis < 1) {
            throw TianshuException.invalid("backoffMillis", "webhook " + name + ": 1 or more, got " + backoffMillis);
        }
        if (maxBackoffMillis < backoffMillis) {
            throw TianshuException.invalid("maxBackoffMillis", "webhook " + name + ": at least backoffMillis ("
                    + backoffMillis + "), got " + maxBackoffMillis);
        }
        if (timeoutMillis < 1) {
            throw TianshuException.invalid("timeoutMillis", "webhook " + name + ": 1 or more, got " + timeoutMillis);
        }
        return new WebhookConfig(name, uri, Set.copyOf(set), retries, backoffMillis, maxBackoffMillis, timeoutMillis);
    }

    /** The {@code types} option of its event endpoint, empty for all types. */
    String endpointTypes() {
        return types.isEmpty() ? "" : "?types=" + String.join(",", types.stream().map(Enum::name).sorted().toList());
    }
}
