package org.tianshu.adapter.influxdb;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.tianshu.api.metrics.MetricPoint;

/** Writes batches with influxdb-java to {@code /write} of the InfluxDB 1.x HTTP API. */
final class InfluxTransport implements Transport, AutoCloseable {
    private final InfluxDB client;
    private final String database;

    InfluxTransport(String url, String database, String user, String password) {
        client = user == null || user.isEmpty() ? InfluxDBFactory.connect(url)
                : InfluxDBFactory.connect(url, user, password == null ? "" : password);
        this.database = database;
    }

    @Override
    public void send(List<MetricPoint> batch) {
        BatchPoints.Builder b = BatchPoints.database(database).precision(TimeUnit.NANOSECONDS);
        for (MetricPoint p : batch) {
            b.point(toInflux(p));
        }
        client.write(b.build());
    }

    static Point toInflux(MetricPoint p) {
        long nanos = TimeUnit.SECONDS.toNanos(p.time().getEpochSecond()) + p.time().getNano();
        Point.Builder b = Point.measurement(p.measurement()).time(nanos, TimeUnit.NANOSECONDS).tag(p.tags());
        for (Map.Entry<String, Object> f : p.fields().entrySet()) {
            Object v = f.getValue();
            if (v instanceof Number n) {
                if (v instanceof Double) {
                    b.addField(f.getKey(), n.doubleValue());
                } else {
                    b.addField(f.getKey(), n.longValue());
                }
            } else if (v instanceof Boolean bool) {
                b.addField(f.getKey(), bool);
            } else {
                b.addField(f.getKey(), (String) v);
            }
        }
        return b.build();
    }

    @Override
    public void close() {
        client.close();
    }
}
