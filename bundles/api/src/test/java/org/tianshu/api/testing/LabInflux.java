package org.tianshu.api.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The lab's InfluxDB 1.x ({@code lab/influx.sh}: 127.0.0.1:8086, database {@code tianshu}) for integration tests that
 * read back what Tianshu wrote, with the queries a dashboard would run.
 */
public final class LabInflux {
    /** Where {@code lab/influx.sh} serves the HTTP API. */
    public static final String URL = "http://127.0.0.1:8086";
    /** The database Tianshu writes to. */
    public static final String DATABASE = "tianshu";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LabInflux() {
    }

    /** Starts the lab's InfluxDB unless it runs (idempotent). */
    public static void start() {
        LabScripts.run("influx.sh", "start");
    }

    /** The JSON body of {@code GET /query} on {@link #DATABASE}; fails unless InfluxDB answers 200. */
    public static String query(String influxQl) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(URL + "/query?db=" + DATABASE + "&q="
                    + URLEncoder.encode(influxQl, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("InfluxDB answered " + r.statusCode() + " to " + influxQl + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("InfluxDB at " + URL + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted querying InfluxDB", e);
        }
    }
}
