package org.tianshu.integration;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.Event;
import org.tianshu.api.integration.Alarm;
import org.tianshu.api.integration.AlarmService;
import org.tianshu.api.integration.AlarmState;
import org.tianshu.persistence.Jdbc;

/** Alarms in the database. One alarm per subject and source while it lasts: a repeated event does not raise another. */
public final class AlarmStore implements AlarmService {
    private final Jdbc jdbc;
    private final Clock clock;

    public AlarmStore(DataSource dataSource, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.clock = clock;
    }

    /** Raises an alarm for the event unless one for its subject and type is still active; the active or new alarm. */
    public Alarm raise(Event e) {
        return jdbc.tx(c -> {
            List<Alarm> active = jdbc.query("SELECT * FROM alarm WHERE subject = ? AND source = ? AND state <> ?"
                    + " ORDER BY id", AlarmStore::map, e.subject(), e.type().name(), AlarmState.CLEARED);
            if (!active.isEmpty()) {
                return active.get(0);
            }
            jdbc.update("INSERT INTO alarm(source, subject, message, state, raised_at) VALUES (?, ?, ?, ?, ?)",
                    e.type().name(), e.subject(), Texts.clip(Texts.describe(e), 2000), AlarmState.OPEN, e.at());
            return jdbc.one("SELECT * FROM alarm WHERE subject = ? AND source = ? AND state = ? ORDER BY id DESC",
                    AlarmStore::map, e.subject(), e.type().name(), AlarmState.OPEN).orElseThrow();
        });
    }

    /** Clears every active alarm of {@code source} on the event's subject; how many were cleared. */
    public int clear(Event e, String source) {
        return jdbc.update("UPDATE alarm SET state = ?, cleared_at = ? WHERE subject = ? AND source = ? AND state <> ?",
                AlarmState.CLEARED, e.at(), e.subject(), source, AlarmState.CLEARED);
    }

    @Override
    public List<Alarm> list(boolean activeOnly, Caller caller) {
        caller.checkOperator();
        return activeOnly
                ? jdbc.query("SELECT * FROM alarm WHERE state <> ? ORDER BY id DESC", AlarmStore::map, AlarmState.CLEARED)
                : jdbc.query("SELECT * FROM alarm ORDER BY id DESC", AlarmStore::map);
    }

    @Override
    public Alarm acknowledge(long id, Caller caller) {
        caller.checkOperator();
        return jdbc.tx(c -> {
            Alarm a = jdbc.one("SELECT * FROM alarm WHERE id = ? FOR UPDATE", AlarmStore::map, id)
                    .orElseThrow(() -> TianshuException.notFound("id", "alarm", Long.toString(id)));
            if (a.state() != AlarmState.OPEN) {
                throw TianshuException.conflict("id", "alarm " + id + " is already " + a.state());
            }
            jdbc.update("UPDATE alarm SET state = ?, acknowledged_by = ?, acknowledged_at = ? WHERE id = ?",
                    AlarmState.ACKNOWLEDGED, caller.name(), clock.instant(), id);
            return jdbc.one("SELECT * FROM alarm WHERE id = ?", AlarmStore::map, id).orElseThrow();
        });
    }

    private static Alarm map(ResultSet rs) throws SQLException {
        return new Alarm(rs.getLong("id"), rs.getString("source"), rs.getString("subject"), rs.getString("message"),
                AlarmState.valueOf(rs.getString("state")), Jdbc.instant(rs, "raised_at"),
                rs.getString("acknowledged_by"), Jdbc.instant(rs, "acknowledged_at"), Jdbc.instant(rs, "cleared_at"));
    }
}
