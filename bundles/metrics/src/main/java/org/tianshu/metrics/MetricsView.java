package org.tianshu.metrics;

import java.util.List;
import java.util.Map;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.metrics.SinkStats;

/** What the shell shows: the latest point of every series, events counted by type, and each sink's counters. */
public interface MetricsView {
    /** The latest point of every sampled series (events are only counted), sorted by series key. */
    List<MetricPoint> latest();

    /** Events seen since start, by type (lower case). */
    Map<String, Long> eventCounts();

    /** Counters of every sink, by the sink's description. */
    Map<String, SinkStats> sinks();
}
