package org.tianshu.integration;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.tianshu.persistence.Jdbc;

/**
 * The events webhooks promised to post, in the database ({@code webhook_outbox}) until they are delivered or become
 * dead letters: a restart loses no retry in progress. Delivery is at least once (a POST answered just before a crash
 * is posted again).
 */
final class WebhookOutbox {
    /** One promised POST. */
    record Entry(long id, String webhook, String eventType, String subject, String payload, int attempts,
            String lastError, Instant nextAttemptAt) {
    }

    private final Jdbc jdbc;
    private final Clock clock;
    private final DeadLetterStore deadLetters;

    WebhookOutbox(DataSource dataSource, Clock clock, DeadLetterStore deadLetters) {
        this.jdbc = new Jdbc(dataSource);
        this.clock = clock;
        this.deadLetters = deadLetters;
    }

    Clock clock() {
        return clock;
    }

    /** Keeps the event for {@code webhook}, due now. */
    void promise(String webhook, String eventType, String subject, String payload) {
        Instant now = clock.instant();
        jdbc.update("INSERT INTO webhook_outbox(webhook, event_type, subject, payload, attempts, next_attempt_at,"
                + " created_at) VALUES (?, ?, ?, ?, 0, ?, ?)", webhook, eventType, Texts.clip(subject, 400), payload,
                now, now);
    }

    /** Up to {@code limit} entries of {@code webhook} due by now, oldest promise first. */
    List<Entry> due(String webhook, int limit) {
        return jdbc.query("SELECT * FROM webhook_outbox WHERE webhook = ? AND next_attempt_at <= ? ORDER BY id"
                + " LIMIT " + limit, WebhookOutbox::map, webhook, clock.instant());
    }

    /** When the next entry of {@code webhook} is due, if any is waiting. */
    Optional<Instant> nextDue(String webhook) {
        return jdbc.one("SELECT MIN(next_attempt_at) AS next FROM webhook_outbox WHERE webhook = ?",
                rs -> Jdbc.instant(rs, "next"), webhook).filter(t -> t != null);
    }

    /** Entries still to be posted, for every webhook. */
    List<Entry> pending() {
        return jdbc.query("SELECT * FROM webhook_outbox ORDER BY id", WebhookOutbox::map);
    }

    void delivered(long id) {
        jdbc.update("DELETE FROM webhook_outbox WHERE id = ?", id);
    }

    /** Records a failed attempt; the entry is tried again at {@code nextAttemptAt}. */
    void failed(Entry e, String error, Instant nextAttemptAt) {
        jdbc.update("UPDATE webhook_outbox SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
                e.attempts() + 1, Texts.clip(error, 2000), nextAttemptAt, e.id());
    }

    /** Moves the entry, after its last failed attempt, to the dead letters in one transaction. */
    void deadLetter(Entry e, URI url, String error) {
        jdbc.tx(c -> {
            deadLetters.store(e.webhook(), url, e.eventType(), e.subject(), e.payload(), e.attempts() + 1, error);
            delivered(e.id());
            return null;
        });
    }

    private static Entry map(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong("id"), rs.getString("webhook"), rs.getString("event_type"),
                rs.getString("subject"), rs.getString("payload"), rs.getInt("attempts"), rs.getString("last_error"),
                Jdbc.instant(rs, "next_attempt_at"));
    }
}
