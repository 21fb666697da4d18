package org.tianshu.api.audit;

import java.time.Instant;

/**
 * One mutating call: who did what to which target, when, and how it ended.
 *
 * @param id sequence number
 * @param at when it ended
 * @param principal who called
 * @param action what was asked, e.g. {@code cloud.register}
 * @param target what it acted on, e.g. {@code cloud/chengdu-os}
 * @param outcome {@code ok} or the error kind
 * @param detail the error message or a short note, may be null
 */
public record AuditEvent(long id, Instant at, String principal, String action, String target, String outcome,
        String detail) {
}
