package org.tianshu.adapter.influxdb;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;

/** Writes batches with influxdb-java to {@code /write} of the InfluxDB 1.x HTTP API. */
final class InfluxTransport implements Transport<Line>, AutoCloseable {
    private final InfluxDB client;
    private final String database;

    InfluxTransport(String url, String database, String user, String password) {
        client = user == null || user.isEmpty() ? InfluxDBFactory.connect(url)
                : InfluxDBFactory.connect(url, user, password == null ? "" : password);
        this.database = database;
    }

    /** Posts the lines in one request; a run of consecutive lines of the same text is copied at once. */
    @Override
    public void send(List<Line> lines) {
        int length = 0;
        for (Line l : lines) {
            length += l.length();
        }
        if (length == 0) {
            return;
        }
        StringBuilder body = new StringBuilder(length);
        String text = null;
        int from = 0;
        int to = 0;
        for (Line l : lines) {
            if (l.text() == text && l.start() == to) {
                to = l.end();
                continue;
            }
            if (text != null) {
                body.append(text, from, to);
            }
            text = l.text();
            from = l.start();
            to = l.end();
        }
        body.append(text, from, to);
        try {
            client.write(database, null, InfluxDB.ConsistencyLevel.ONE, TimeUnit.NANOSECONDS, body.toString());
        } catch (InfluxDBException.UnableToParseException | InfluxDBException.FieldTypeConflictException
                | InfluxDBException.PointsBeyondRetentionPolicyException e) {
            throw new Rejected(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
