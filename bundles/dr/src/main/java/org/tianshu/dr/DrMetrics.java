package org.tianshu.dr;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.ReplicationStatus;
import org.tianshu.api.metrics.Measurements;
import org.tianshu.api.metrics.MetricPoint;

/**
 * Disaster recovery as measurements: {@code dr_rpo} per protection group at every RPO check, {@code dr_run} per
 * finished run and {@code dr_step} per finished step. A failing sink never fails the DR work.
 */
final class DrMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(DrMetrics.class);

    private final Consumer<List<MetricPoint>> sink;

    DrMetrics(Consumer<List<MetricPoint>> sink) {
        this.sink = sink;
    }

    /** The RPO of {@code g} as measured in {@code s}; {@code rpo_s} is -1 while a workload has no copy yet. */
    void rpo(ProtectionGroup g, ReplicationStatus s) {
        write(new MetricPoint(Measurements.DR_RPO, Map.of("group", g.id(), "protected", g.protectedCloudId(),
                "recovery", g.recoveryCloudId()), Map.of("rpo_s", s.rpoSeconds(), "target_s", s.rpoTargetSeconds(),
                        "exceeded", s.exceeded()), Instant.now()));
    }

    /** A finished run: its RTO ({@code rto_s}, absent when the run brought nothing up) and number of steps. */
    void run(DrRun run, Duration rto) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("steps", run.steps().size());
        if (rto != null) {
            fields.put("rto_s", rto.toNanos() / 1e9);
        }
        write(new MetricPoint(Measurements.DR_RUN, Map.of("plan", run.planId(), "group", run.groupId(),
                "operation", run.operation().name(), "outcome", run.state().name()), fields,
                run.finishedAt() == null ? Instant.now() : run.finishedAt()));
    }

    /** A finished (done, failed or skipped) step of a run of {@code planId}; {@code seconds} 0 if it never started. */
    void step(String planId, String operation, DrStore.Step s) {
        Map<String, String> tags = new HashMap<>(Map.of("plan", planId, "operation", operation, "step",
                s.kind.name(), "priority", String.valueOf(s.priority)));
        if (s.workload != null) {
            tags.put("workload", s.workload);
        }
        Instant end = s.finishedAt == null ? Instant.now() : s.finishedAt;
        double seconds = s.startedAt == null ? 0 : Duration.between(s.startedAt, end).toNanos() / 1e9;
        write(new MetricPoint(Measurements.DR_STEP, tags, Map.of("seconds", seconds, "outcome", s.state.name()), end));
    }

    private void write(MetricPoint p) {
        try {
            sink.accept(List.of(p));
        } catch (RuntimeException e) {
            LOG.warn("DR measurement {} not recorded: {}", p.measurement(), e.toString());
        }
    }
}
