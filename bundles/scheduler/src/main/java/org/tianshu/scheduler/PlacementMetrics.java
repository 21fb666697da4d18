package org.tianshu.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.scheduling.MemberPlacement;
import org.tianshu.api.scheduling.Placement;

/**
 * Placement decisions summed per outcome, cloud and department until {@link #drain} turns them into points of
 * measurement {@code placement}: adding is a map update under a lock, so a decision costs next to nothing beside its
 * database transaction, and a busy second is one point per series rather than one per decision.
 */
final class PlacementMetrics {
    static final String MEASUREMENT = "placement";
    /** Cloud tag of a decision whose members went to more than one cloud. */
    static final String SEVERAL_CLOUDS = "several";

    private record Key(String outcome, String cloud, String department) {
    }

    private static final class Sum {
        long decisions;
        long members;
        long latencyNanos;
        long maxNanos;
    }

    private Map<Key, Sum> open = new HashMap<>();

    /** Counts one decision of {@code department} that took {@code nanos}. */
    void add(Placement p, String department, long nanos) {
        Key key = new Key(outcome(p.outcome()), cloud(p), department);
        synchronized (this) {
            Sum s = open.computeIfAbsent(key, k -> new Sum());
            s.decisions++;
            s.members += p.decision().size();
            s.latencyNanos += nanos;
            s.maxNanos = Math.max(s.maxNanos, nanos);
        }
    }

    /**
     * One point per series since the last drain, at {@code at}: tags {@code outcome} (placed, dry-run, refused),
     * {@code cloud} (absent when refused), {@code department}, {@code kind} (the cloud's kind, when known by
     * {@code kinds}); fields {@code decisions}, {@code members}, {@code latency_us} (mean) and {@code latency_us_max}.
     */
    List<MetricPoint> drain(Instant at, Map<String, String> kinds) {
        Map<Key, Sum> done;
        synchronized (this) {
            if (open.isEmpty()) {
                return List.of();
            }
            done = open;
            open = new HashMap<>();
        }
        List<MetricPoint> points = new ArrayList<>(done.size());
        done.forEach((k, s) -> {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("outcome", k.outcome());
            tags.put("department", k.department());
            if (k.cloud() != null) {
                tags.put("cloud", k.cloud());
                String kind = kinds.get(k.cloud());
                if (kind != null) {
                    tags.put("kind", kind);
                }
            }
            points.add(new MetricPoint(MEASUREMENT, tags, Map.of("decisions", s.decisions,
                    "members", s.members, "latency_us", s.latencyNanos / s.decisions / 1000,
                    "latency_us_max", s.maxNanos / 1000), at));
        });
        return points;
    }

    private static String outcome(Placement.Outcome o) {
        return switch (o) {
            case PLACED -> "placed";
            case FEASIBLE -> "dry-run";
            case REFUSED -> "refused";
        };
    }

    private static String cloud(Placement p) {
        String cloud = null;
        for (MemberPlacement m : p.decision()) {
            if (cloud == null) {
                cloud = m.cloudId();
            } else if (!cloud.equals(m.cloudId())) {
                return SEVERAL_CLOUDS;
            }
        }
        return cloud;
    }
}
