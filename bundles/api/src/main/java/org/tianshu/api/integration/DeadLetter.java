package org.tianshu.api.integration;

import java.time.Instant;

/**
 * An event a webhook could not deliver after all its retries, kept until an operator replays it.
 *
 * @param id sequence number
 * @param webhook the webhook's name
 * @param url where it was posted
 * @param eventType the event's type
 * @param subject the event's subject
 * @param payload the JSON body that was posted
 * @param attempts how many times it was posted
 * @param lastError the last failure, e.g. {@code HTTP 500}
 * @param failedAt when the last attempt failed
 */
public record DeadLetter(long id, String webhook, String url, String eventType, String subject, String payload,
        int attempts, String lastError, Instant failedAt) {
}
