package org.tianshu.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.tianshu.api.scheduling.Preferences;
import org.tianshu.api.scheduling.SchedulingPolicy;
import org.tianshu.persistence.Jdbc;
import org.tianshu.scheduler.PlacementEngine.Reservation;

/**
 * The scheduler's rows: reservations (so a restart keeps the capacity, quota and group memberships they hold)
 * and departments' scheduling policies. Every write joins the caller's transaction when one is open.
 */
final class SchedulerStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, long[]>> CLAIMS = new TypeReference<>() {
    };

    private final Jdbc jdbc;

    SchedulerStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    Jdbc jdbc() {
        return jdbc;
    }

    void insert(String id, Reservation r) {
        jdbc.update("INSERT INTO scheduler_reservation(id, department_id, hold, settled, claims_json, quota_requests,"
                + " affinity_group, anti_affinity_group, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, r.departmentId(),
                r.hold(), r.settled(), write(r.claims()), String.join(",", r.quotaRequests()), r.affinityGroup(),
                r.antiAffinityGroup(), r.createdAt());
    }

    void updateClaims(String id, Reservation r) {
        jdbc.update("UPDATE scheduler_reservation SET claims_json = ? WHERE id = ?", write(r.claims()), id);
    }

    void delete(String id) {
        jdbc.update("DELETE FROM scheduler_reservation WHERE id = ?", id);
    }

    void settle(Collection<String> ids) {
        for (String id : ids) {
            jdbc.update("UPDATE scheduler_reservation SET settled = TRUE WHERE id = ?", id);
        }
    }

    /** Every reservation kept, by id, oldest first. */
    Map<String, Reservation> reservations() {
        Map<String, Reservation> all = new LinkedHashMap<>();
        jdbc.query("SELECT * FROM scheduler_reservation ORDER BY created_at, id", rs -> {
            String quota = rs.getString("quota_requests");
            all.put(rs.getString("id"), new Reservation(rs.getString("department_id"), read(rs.getString("claims_json")),
                    quota == null || quota.isEmpty() ? List.of() : Arrays.asList(quota.split(",")),
                    rs.getString("affinity_group"), rs.getString("anti_affinity_group"), rs.getBoolean("hold"),
                    rs.getBoolean("settled"), Jdbc.instant(rs, "created_at")));
            return null;
        });
        return all;
    }

    Optional<SchedulingPolicy> policy(String departmentId) {
        return jdbc.one("SELECT * FROM scheduling_policy WHERE department_id = ?", rs -> {
            String clouds = rs.getString("allowed_clouds");
            return new SchedulingPolicy(rs.getString("department_id"),
                    clouds == null || clouds.isEmpty() ? Set.of() : Set.of(clouds.split(",")),
                    new Preferences(rs.getDouble("pack"), rs.getDouble("spread"), rs.getDouble("cost"), rs.getDouble("energy"),
                            rs.getDouble("latency")));
        }, departmentId);
    }

    void setPolicy(SchedulingPolicy p) {
        Preferences w = p.preferences();
        String clouds = String.join(",", new TreeSet<>(p.allowedClouds()));
        jdbc.tx(c -> {
            int n = jdbc.update("UPDATE scheduling_policy SET allowed_clouds = ?, pack = ?, spread = ?, cost = ?, energy = ?,"
                    + " latency = ?, updated_at = ? WHERE department_id = ?", clouds, w.pack(), w.spread(), w.cost(), w.energy(),
                    w.latency(), Instant.now(), p.departmentId());
            if (n == 0) {
                jdbc.update("INSERT INTO scheduling_policy(department_id, allowed_clouds, pack, spread, cost, energy, latency,"
                        + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", p.departmentId(), clouds, w.pack(), w.spread(), w.cost(),
                        w.energy(), w.latency(), Instant.now());
            }
            return null;
        });
    }

    private static String write(Map<String, long[]> claims) {
        try {
            return JSON.writeValueAsString(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, long[]> read(String json) {
        try {
            return JSON.readValue(json, CLAIMS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable reservation claims: " + e.getMessage(), e);
        }
    }
}
