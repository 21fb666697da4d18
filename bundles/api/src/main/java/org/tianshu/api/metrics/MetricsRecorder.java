package org.tianshu.api.metrics;

import java.util.List;

/**
 * Records measurements for every {@link MetricsSink} and for the shell's latest values: the one way a bundle records
 * a point. Bundles reference it optionally; without the metrics bundle nothing is recorded.
 */
public interface MetricsRecorder {
    /** Records the points: each becomes its series' latest value and all go to every sink; returns without waiting for a database. */
    void record(List<MetricPoint> points);

    /** Records one point. */
    default void record(MetricPoint point) {
        record(List.of(point));
    }
}
