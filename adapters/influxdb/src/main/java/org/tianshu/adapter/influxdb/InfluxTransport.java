package org.tianshu.adapter.influxdb;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
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

    /**
     * Serialises the batch with {@link LineProtocol} (influxdb-java's own Point and BatchPoints halved the sink's
     * throughput, see lab/bench.sh events) and posts it in one request.
     */
    @Override
    public void send(List<MetricPoint> batch) {
        StringBuilder body = new StringBuilder(batch.size() * 160);
        for (MetricPoint p : batch) {
            LineProtocol.append(p, body);
        }
        if (body.length() > 0) {
            client.write(database, null, InfluxDB.ConsistencyLevel.ONE, TimeUnit.NANOSECONDS, body.toString());
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
