package org.tianshu.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.event.Event;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.metrics.MetricsRecorder;
import org.tianshu.api.metrics.MetricsSink;
import org.tianshu.api.metrics.SinkStats;

/** Keeps the latest point of every series and hands every point to every sink; a failing sink is logged, not fatal. */
public final class MetricsHub implements MetricsRecorder, MetricsView {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHub.class);

    private final List<MetricsSink> sinks = new CopyOnWriteArrayList<>();
    private final Map<String, MetricPoint> latest = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> eventCounts = new ConcurrentHashMap<>();

    public void addSink(MetricsSink sink) {
        sinks.add(sink);
    }

    public void removeSink(MetricsSink sink) {
        sinks.remove(sink);
    }

    /**
     * Counts the event and writes its point to every sink. Event points are counted, not kept as latest values
     * (nobody reads "the latest event" of a series, and the series key cost more than the rest of the mapping).
     */
    public void onEvent(Event e) {
        onEvents(List.of(e));
    }

    /** {@link #onEvent} for a batch: the points go to every sink in one write, in the events' order. */
    public void onEvents(List<Event> events) {
        List<MetricPoint> points = new ArrayList<>(events.size());
        String lastType = null;
        AtomicLong lastCount = null;
        for (Event e : events) {
            MetricPoint p = PointMapper.event(e);
            String type = p.tags().get("type");
            if (!type.equals(lastType)) {
                lastType = type;
                lastCount = eventCounts.computeIfAbsent(type, k -> new AtomicLong());
            }
            lastCount.incrementAndGet();
            points.add(p);
        }
        if (!points.isEmpty()) {
            write(points);
        }
    }

    /** Remembers each point as its series' latest and writes them all to every sink. */
    @Override
    public void record(List<MetricPoint> points) {
        for (MetricPoint p : points) {
            latest.merge(p.seriesKey(), p, (old, now) -> now.time().isBefore(old.time()) ? old : now);
        }
        write(points);
    }

    private void write(List<MetricPoint> points) {
        for (MetricsSink s : sinks) {
            try {
                s.write(points);
            } catch (RuntimeException ex) {
                LOG.warn("metrics sink {} refused {} points", s, points.size(), ex);
            }
        }
    }

    @Override
    public List<MetricPoint> latest() {
        List<MetricPoint> all = new ArrayList<>(latest.values());
        all.sort(Comparator.comparing(MetricPoint::seriesKey));
        return all;
    }

    @Override
    public Map<String, Long> eventCounts() {
        Map<String, Long> out = new TreeMap<>();
        eventCounts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public Map<String, SinkStats> sinks() {
        Map<String, SinkStats> out = new LinkedHashMap<>();
        for (MetricsSink s : sinks) {
            out.put(s.toString(), s.stats());
        }
        return out;
    }
}
