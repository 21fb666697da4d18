package org.tianshu.planes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.tianshu.api.plane.PathAnswer;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.PlaneState;
import org.tianshu.persistence.Jdbc;

/**
 * Planes in the database (migration V20): the plane row with its journal state, its prefixes and its path
 * reservations. An apply writes its target and pending prefixes first, so a crash at any step leaves enough to
 * compensate back to what the network carried before.
 */
final class PlaneStore {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Jdbc jdbc;

    PlaneStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * A plane row.
     *
     * @param intent      what the network carries; null while the plane is first created
     * @param target      what an apply in progress changes it to; null when none runs
     * @param realisation what was pushed for {@code intent}; null before the first push
     */
    record Row(String name, int table, PlaneState state, PlaneIntent intent, PlaneIntent target, PlaneRealisation realisation,
            String message, Instant updatedAt) {
    }

    /** A reservation the plane holds, with its place in admission order. */
    record Held(String plane, long seq, PathAnswer answer) {
    }

    <T> T tx(Jdbc.Work<T> work) {
        return jdbc.tx(work);
    }

    List<Row> rows() {
        return jdbc.query("SELECT * FROM plane ORDER BY name", PlaneStore::row);
    }

    Optional<Row> row(String name) {
        return jdbc.one("SELECT * FROM plane WHERE name = ?", PlaneStore::row, name);
    }

    List<Prefix> prefixes() {
        return jdbc.query("SELECT * FROM plane_prefix ORDER BY plane, family DESC, site NULLS FIRST, prefix", PlaneStore::prefix);
    }

    List<Prefix> prefixes(String plane) {
        return jdbc.query("SELECT * FROM plane_prefix WHERE plane = ? AND pending = FALSE ORDER BY family DESC, site NULLS FIRST, prefix",
                PlaneStore::prefix, plane);
    }

    /** Every plane's prefixes but those of applies in progress. */
    List<Prefix> heldPrefixes() {
        return jdbc.query("SELECT * FROM plane_prefix WHERE pending = FALSE ORDER BY plane, family DESC, site NULLS FIRST, prefix",
                PlaneStore::prefix);
    }

    /** Every held reservation in admission order. */
    List<Held> reservations() {
        return jdbc.query("SELECT plane, seq, paths_json FROM plane_reservation ORDER BY seq",
                rs -> new Held(rs.getString(1), rs.getLong(2), read(rs.getString(3), PathAnswer.class)));
    }

    List<PathAnswer> reservations(String plane) {
        return jdbc.query("SELECT paths_json FROM plane_reservation WHERE plane = ? ORDER BY seq",
                rs -> read(rs.getString(1), PathAnswer.class), plane);
    }

    /** The lowest table in {@code [min, max]} no plane uses; empty when all are taken. */
    Optional<Integer> freeTable(int min, int max) {
        Set<Integer> used = new HashSet<>(jdbc.query("SELECT tbl FROM plane", rs -> rs.getInt(1)));
        for (int t = min; t <= max; t++) {
            if (!used.contains(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Journal step PLANNED: the target and the prefixes it adds (pending), the row created for a new plane. */
    void begin(String name, int table, PlaneIntent target, List<Prefix> planned, boolean create) {
        jdbc.tx(c -> {
            Instant now = Instant.now();
            if (create) {
                jdbc.update("INSERT INTO plane(name, tbl, state, target_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                        name, table, PlaneState.PLANNED, write(target), now, now);
            } else {
                jdbc.update("UPDATE plane SET state = ?, target_json = ?, message = NULL, updated_at = ? WHERE name = ?",
                        PlaneState.PLANNED, write(target), now, name);
            }
            Set<String> held = new HashSet<>(jdbc.query("SELECT prefix FROM plane_prefix WHERE plane = ?", rs -> rs.getString(1), name));
            for (Prefix p : planned) {
                if (!held.contains(p.prefix())) {
                    jdbc.update("INSERT INTO plane_prefix(prefix, family, plane, site, kept, pending) VALUES (?, ?, ?, ?, ?, TRUE)",
                            p.prefix(), p.family(), name, p.site(), p.kept());
                }
            }
            return null;
        });
    }

    /** Journal step RESERVED: the plane's reservations are {@code answers}; ids held before keep their place. */
    void reserved(String name, List<PathAnswer> answers) {
        jdbc.tx(c -> {
            replaceReservations(name, answers);
            state(name, PlaneState.RESERVED, null);
            return null;
        });
    }

    /** Replaces the plane's stored reservations; an id held before keeps its place in admission order. */
    void replaceReservations(String name, List<PathAnswer> answers) {
        jdbc.tx(c -> {
            Map<String, Long> seqs = new HashMap<>();
            for (var row : jdbc.query("SELECT id, seq FROM plane_reservation WHERE plane = ?",
                    rs -> Map.entry(rs.getString(1), rs.getLong(2)), name)) {
                seqs.put(row.getKey(), row.getValue());
            }
            long next = jdbc.one("SELECT COALESCE(MAX(seq), 0) FROM plane_reservation", rs -> rs.getLong(1)).orElse(0L) + 1;
            jdbc.update("DELETE FROM plane_reservation WHERE plane = ?", name);
            for (PathAnswer a : answers) {
                Long seq = seqs.get(a.id());
                jdbc.update("INSERT INTO plane_reservation(id, plane, seq, from_router, to_router, bandwidth, max_latency, protection,"
                        + " paths_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", a.id(), name, seq != null ? seq : next++,
                        a.request().from(), a.request().to(), a.request().bandwidthMbps(), a.request().maxLatencyMicros(),
                        a.request().protection(), write(a));
            }
            return null;
        });
    }

    void state(String name, PlaneState state, String message) {
        jdbc.update("UPDATE plane SET state = ?, message = ?, updated_at = ? WHERE name = ?", state, message, Instant.now(), name);
    }

    /** Journal step VERIFIED: the target is what the network carries; prefixes it no longer needs are released. */
    void commit(String name, PlaneIntent intent, PlaneRealisation realisation, List<Prefix> prefixes, List<PathAnswer> answers) {
        jdbc.tx(c -> {
            replaceReservations(name, answers);
            Set<String> keep = new HashSet<>();
            prefixes.forEach(p -> keep.add(p.prefix()));
            for (String p : jdbc.query("SELECT prefix FROM plane_prefix WHERE plane = ?", rs -> rs.getString(1), name)) {
                if (!keep.contains(p)) {
                    jdbc.update("DELETE FROM plane_prefix WHERE prefix = ?", p);
                }
            }
            jdbc.update("UPDATE plane_prefix SET pending = FALSE WHERE plane = ?", name);
            jdbc.update("UPDATE plane SET state = ?, intent_json = ?, target_json = NULL, realisation_json = ?, message = NULL,"
                    + " updated_at = ? WHERE name = ?", PlaneState.VERIFIED, write(intent), write(realisation), Instant.now(), name);
            return null;
        });
    }

    /** Stores a new realisation of the current intent (paths moved) and the plane's state. */
    void realised(String name, PlaneRealisation realisation, PlaneState state, String message) {
        jdbc.update("UPDATE plane SET realisation_json = ?, state = ?, message = ?, updated_at = ? WHERE name = ?",
                write(realisation), state, message, Instant.now(), name);
    }

    /**
     * Compensation of an apply: its pending prefixes are released; a plane that was being created is gone, an updated
     * one is back to its intent (its stored reservations are still the intent's: an apply replaces them on commit).
     */
    void rollback(String name, PlaneState state, String message) {
        jdbc.tx(c -> {
            jdbc.update("DELETE FROM plane_prefix WHERE plane = ? AND pending = TRUE", name);
            Row row = row(name).orElseThrow();
            if (row.intent() == null) {
                jdbc.update("DELETE FROM plane WHERE name = ?", name);
            } else {
                jdbc.update("UPDATE plane SET state = ?, target_json = NULL, message = ?, updated_at = ? WHERE name = ?",
                        state, message, Instant.now(), name);
            }
            return null;
        });
    }

    void delete(String name) {
        jdbc.update("DELETE FROM plane WHERE name = ?", name);
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("name"), rs.getInt("tbl"), PlaneState.valueOf(rs.getString("state")),
                read(rs.getString("intent_json"), PlaneIntent.class), read(rs.getString("target_json"), PlaneIntent.class),
                read(rs.getString("realisation_json"), PlaneRealisation.class), rs.getString("message"),
                Jdbc.instant(rs, "updated_at"));
    }

    private static Prefix prefix(ResultSet rs) throws SQLException {
        return new Prefix(rs.getString("prefix"), rs.getInt("family"), rs.getString("plane"), rs.getString("site"), rs.getBoolean("kept"));
    }

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + " in the database: " + e.getMessage(), e);
        }
    }
}
