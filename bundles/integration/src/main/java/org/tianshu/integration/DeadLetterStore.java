package org.tianshu.integration;

import java.io.IOException;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.integration.DeadLetter;
import org.tianshu.api.integration.WebhookService;
import org.tianshu.persistence.Jdbc;

/** Webhook dead letters in the database, replayed one POST at a time. */
public final class DeadLetterStore implements WebhookService {
    private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(30);

    private final Jdbc jdbc;
    private final WebhookSender sender;
    private final Clock clock;

    public DeadLetterStore(DataSource dataSource, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.sender = new WebhookSender();
        this.clock = clock;
    }

    /** The sender webhooks post with. */
    WebhookSender sender() {
        return sender;
    }

    /** Keeps an event that could not be delivered. */
    public void store(String webhook, URI url, String eventType, String subject, String payload, int attempts,
            String error) {
        jdbc.update("INSERT INTO webhook_dead_letter(webhook, url, event_type, subject, payload, attempts, last_error,"
                + " failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", webhook, url.toString(), eventType,
                Texts.clip(subject, 400), payload, attempts, Texts.clip(error, 2000), clock.instant());
    }

    @Override
    public List<DeadLetter> deadLetters(Caller caller) {
        caller.checkOperator();
        return jdbc.query("SELECT * FROM webhook_dead_letter ORDER BY id", DeadLetterStore::map);
    }

    @Override
    public boolean replay(long id, Caller caller) {
        caller.checkOperator();
        DeadLetter d = jdbc.one("SELECT * FROM webhook_dead_letter WHERE id = ?", DeadLetterStore::map, id)
                .orElseThrow(() -> TianshuException.notFound("id", "dead letter", Long.toString(id)));
        try {
            sender.post(URI.create(d.url()), d.payload(), REPLAY_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            jdbc.update("UPDATE webhook_dead_letter SET attempts = attempts + 1, last_error = ?, failed_at = ?"
                    + " WHERE id = ?", Texts.clip(String.valueOf(e.getMessage()), 2000), clock.instant(), id);
            return false;
        }
        jdbc.update("DELETE FROM webhook_dead_letter WHERE id = ?", id);
        return true;
    }

    private static DeadLetter map(ResultSet rs) throws SQLException {
        return new DeadLetter(rs.getLong("id"), rs.getString("webhook"), rs.getString("url"),
                rs.getString("event_type"), rs.getString("subject"), rs.getString("payload"), rs.getInt("attempts"),
                rs.getString("last_error"), Jdbc.instant(rs, "failed_at"));
    }
}
