package org.tianshu.api.metrics;

import java.util.List;

/** Stores points in a time-series database; implemented by adapters and found as OSGi services. */
public interface MetricsSink {
    /** Accepts points for writing and returns without waiting for the database; points beyond the buffer are dropped and counted. */
    void write(List<MetricPoint> points);

    /** Current counters. */
    SinkStats stats();
}
