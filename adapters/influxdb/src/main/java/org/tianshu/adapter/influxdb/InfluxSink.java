package org.tianshu.adapter.influxdb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.metrics.MetricsSink;
import org.tianshu.api.metrics.SinkStats;

/** A {@link MetricsSink} that buffers points and writes them to InfluxDB in batches, retrying with backoff. */
public final class InfluxSink implements MetricsSink, AutoCloseable {
    /** Requests in flight at once by default (PID {@code org.tianshu.adapter.influxdb}, key {@code writers}). */
    public static final int DEFAULT_WRITERS = 2;

    private final InfluxSettings settings;
    private final InfluxTransport transport;
    private final BufferedWriter<Line> writer;

    InfluxSink(InfluxSettings settings) {
        this.settings = settings;
        transport = new InfluxTransport(settings.url(), settings.database(), settings.user(), settings.password());
        writer = new BufferedWriter<>(transport, settings.batchSize(), settings.flushInterval(), settings.bufferSize(),
                settings.maxBackoff(), settings.writers(), "tianshu-influxdb-writer");
    }

    /** A sink outside OSGi (benchmarks): the settings of PID {@code org.tianshu.adapter.influxdb}, validated the same way. */
    public static InfluxSink connect(String url, String database, String user, String password, int batchSize,
            Duration flushInterval, int bufferSize, Duration maxBackoff, int writers) {
        return new InfluxSink(new InfluxSettings(url, database, user, password, batchSize, flushInterval, bufferSize,
                maxBackoff, writers));
    }

    /**
     * Serialises the points to line protocol on the caller's thread, into one string for the call, and buffers a
     * reference to each point's line: the writer threads only post (serialising overlaps with the requests in flight).
     * A point with nothing storable (only non-finite doubles) is left out.
     */
    @Override
    public void write(List<MetricPoint> points) {
        StringBuilder b = new StringBuilder(points.size() * 160);
        int[] ends = new int[points.size()];
        int n = 0;
        for (MetricPoint p : points) {
            if (LineProtocol.append(p, b)) {
                ends[n++] = b.length();
            }
        }
        String text = b.toString();
        List<Line> lines = new ArrayList<>(n);
        int start = 0;
        for (int i = 0; i < n; i++) {
            lines.add(new Line(text, start, ends[i]));
            start = ends[i];
        }
        writer.offer(lines);
    }

    @Override
    public SinkStats stats() {
        return writer.stats();
    }

    @Override
    public void close() {
        writer.close();
        transport.close();
    }

    @Override
    public String toString() {
        return "influxdb " + settings.url() + " db=" + settings.database();
    }
}
