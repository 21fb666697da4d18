package org.tianshu.adapter.influxdb;

import java.net.URI;
import java.time.Duration;

/** Validated settings of the sink; every error names its key of PID {@code org.tianshu.adapter.influxdb}. */
record InfluxSettings(String url, String database, String user, String password, int batchSize,
        Duration flushInterval, int bufferSize, Duration maxBackoff, int writers) {
    InfluxSettings {
        if (url == null || url.isBlank()) {
            throw invalid("url", "must be set, e.g. http://127.0.0.1:8086");
        }
        try {
            URI u = URI.create(url.trim());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw invalid("url", "must be an http(s) URL, got " + url);
            }
        } catch (IllegalArgumentException e) {
            throw invalid("url", "must be an http(s) URL, got " + url);
        }
        url = url.trim();
        if (database == null || database.isBlank()) {
            throw invalid("database", "must be set");
        }
        if (batchSize < 1) {
            throw invalid("batchSize", "must be at least 1, got " + batchSize);
        }
        if (flushInterval.toMillis() < 10) {
            throw invalid("flushIntervalMillis", "must be at least 10, got " + flushInterval.toMillis());
        }
        if (bufferSize < batchSize) {
            throw invalid("bufferSize", "must be at least batchSize (" + batchSize + "), got " + bufferSize);
        }
        if (writers < 1) {
            throw invalid("writers", "must be at least 1, got " + writers);
        }
        if (maxBackoff.toMillis() < 100) {
            throw invalid("maxBackoffMillis", "must be at least 100, got " + maxBackoff.toMillis());
        }
    }

    private static IllegalArgumentException invalid(String key, String why) {
        return new IllegalArgumentException("org.tianshu.adapter.influxdb: " + key + " " + why);
    }
}
