package org.tianshu.integration;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.event.EventType;
import org.tianshu.api.integration.Recommendation;
import org.tianshu.api.integration.RecommendationKind;
import org.tianshu.api.integration.RecommendationService;
import org.tianshu.api.integration.RecommendationState;
import org.tianshu.persistence.Jdbc;

/**
 * Recommendations in the database: one pending recommendation per kind and subject. A decision is recorded and
 * published as {@link EventType#RECOMMENDATION_DECIDED}; nothing else happens here (no failover, no migration).
 */
public final class RecommendationStore implements RecommendationService {
    private final Jdbc jdbc;
    private final EventPublisher events;
    private final Clock clock;

    public RecommendationStore(DataSource dataSource, EventPublisher events, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.events = events;
        this.clock = clock;
    }

    /** Proposes {@code kind} for the event's subject unless one is already pending; the pending or new recommendation. */
    public Recommendation propose(RecommendationKind kind, Event e) {
        return jdbc.tx(c -> {
            var pending = jdbc.one("SELECT * FROM recommendation WHERE kind = ? AND subject = ? AND state = ?",
                    RecommendationStore::map, kind, e.subject(), RecommendationState.PENDING);
            if (pending.isPresent()) {
                return pending.get();
            }
            jdbc.update("INSERT INTO recommendation(kind, subject, reason, state, created_at) VALUES (?, ?, ?, ?, ?)",
                    kind, e.subject(), Texts.clip(Texts.describe(e), 2000), RecommendationState.PENDING, clock.instant());
            return jdbc.one("SELECT * FROM recommendation WHERE kind = ? AND subject = ? AND state = ?",
                    RecommendationStore::map, kind, e.subject(), RecommendationState.PENDING).orElseThrow();
        });
    }

    @Override
    public List<Recommendation> list(RecommendationState state, Caller caller) {
        caller.checkOperator();
        return state == null
                ? jdbc.query("SELECT * FROM recommendation ORDER BY id DESC", RecommendationStore::map)
                : jdbc.query("SELECT * FROM recommendation WHERE state = ? ORDER BY id DESC", RecommendationStore::map,
                        state);
    }

    @Override
    public Recommendation approve(long id, String note, Caller caller) {
        return decide(id, RecommendationState.APPROVED, note, caller);
    }

    @Override
    public Recommendation reject(long id, String note, Caller caller) {
        return decide(id, RecommendationState.REJECTED, note, caller);
    }

    private Recommendation decide(long id, RecommendationState decision, String note, Caller caller) {
        caller.checkOperator();
        Recommendation decided = jdbc.tx(c -> {
            Recommendation r = jdbc.one("SELECT * FROM recommendation WHERE id = ? FOR UPDATE", RecommendationStore::map,
                    id).orElseThrow(() -> TianshuException.notFound("id", "recommendation", Long.toString(id)));
            if (r.state() != RecommendationState.PENDING) {
                throw TianshuException.conflict("id", "recommendation " + id + " is already " + r.state()
                        + " by " + r.decidedBy());
            }
            jdbc.update("UPDATE recommendation SET state = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ?",
                    decision, caller.name(), clock.instant(), Texts.clip(note, 2000), id);
            return jdbc.one("SELECT * FROM recommendation WHERE id = ?", RecommendationStore::map, id).orElseThrow();
        });
        events.publish(Event.now(EventType.RECOMMENDATION_DECIDED, decided.subject(), null, null,
                Map.of("recommendation", Long.toString(id), "kind", decided.kind().name(),
                        "decision", decision.name(), "by", caller.name())));
        return decided;
    }

    private static Recommendation map(ResultSet rs) throws SQLException {
        return new Recommendation(rs.getLong("id"), RecommendationKind.valueOf(rs.getString("kind")),
                rs.getString("subject"), rs.getString("reason"), RecommendationState.valueOf(rs.getString("state")),
                Jdbc.instant(rs, "created_at"), rs.getString("decided_by"), Jdbc.instant(rs, "decided_at"),
                rs.getString("note"));
    }
}
