package org.tianshu.adapter.influxdb;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;

/** Writes batches with influxdb-java to {@code /write} of the InfluxDB 1.x HTTP API. */
final class InfluxTransport implements Transport<String>, AutoCloseable {
    private final InfluxDB client;
    private final String database;

    InfluxTransport(String url, String database, String user, String password) {
        client = user == null || user.isEmpty() ? InfluxDBFactory.connect(url)
                : InfluxDBFactory.connect(url, user, password == null ? "" : password);
        this.database = database;
    }

    /** Posts the lines (line protocol, each ending in a newline, see {@link LineProtocol}) in one request. */
    @Override
    public void send(List<String> lines) {
        int length = 0;
        for (String l : lines) {
            length += l.length();
        }
        if (length == 0) {
            return;
        }
        StringBuilder body = new StringBuilder(length);
        for (String l : lines) {
            body.append(l);
        }
        client.write(database, null, InfluxDB.ConsistencyLevel.ONE, TimeUnit.NANOSECONDS, body.toString());
    }

    @Override
    public void close() {
        client.close();
    }
}
