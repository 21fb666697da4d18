package org.tianshu.adapter.influxdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.tianshu.api.testing.LabScripts;
import org.junit.jupiter.api.Test;
import org.tianshu.api.metrics.MetricPoint;

/** Against the real InfluxDB 1.6.7 that {@code lab/influx.sh} starts on 127.0.0.1:8086. */
class InfluxSinkIT {
    private static final String URL = "http://127.0.0.1:8086";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startInflux() throws Exception {
        influx("start");
    }

    @AfterAll
    static void leaveItRunning() throws Exception {
        influx("start");
    }

    static void influx(String action) {
        LabScripts.run("influx.sh", action);
    }

    static InfluxSink sink(int batchSize, int bufferSize, int writers) {
        return new InfluxSink(new InfluxSettings(URL, "tianshu", "", "", batchSize, Duration.ofMillis(100), bufferSize,
                Duration.ofMillis(400), writers));
    }

    static List<MetricPoint> points(String measurement, int from, int n) {
        return points(measurement, from, n, Instant.now());
    }

    /** Point i at {@code t0} plus i milliseconds. */
    static List<MetricPoint> points(String measurement, int from, int n, Instant t0) {
        List<MetricPoint> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(new MetricPoint(measurement, Map.of("cloud", "c" + (i % 3), "city", "chengdu"),
                    Map.of("i", (long) i, "ratio", i / 10.0, "ok", i % 2 == 0, "note", "n" + i), t0.plusMillis(i)));
        }
        return out;
    }

    static String query(String q) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(URL + "/query?db=tianshu&q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    static long count(String measurement) throws Exception {
        Matcher m = Pattern.compile("\"values\":\\[\\[\"[^\"]+\",(\\d+)\\]\\]").matcher(query("SELECT count(i) FROM " + measurement));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    static void await(BooleanSupplier c, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within " + seconds + " s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void pointsAreWrittenAndReadBack() throws Exception {
        String m = "it_write_" + System.nanoTime();
        try (InfluxSink sink = sink(50, 1000, 1)) {
            sink.write(points(m, 0, 120));
            await(() -> sink.stats().written() == 120, 10);
        }
        assertThat(count(m)).isEqualTo(120);
        String row = query("SELECT i, ratio, ok, note, cloud, city FROM " + m + " WHERE i = 7");
        assertThat(row).contains("7,0.7,false,\"n7\",\"c1\",\"chengdu\"");
    }

    @Test
    void aBatchInfluxRefusesIsDroppedAndCountedAndLaterPointsArrive() throws Exception {
        String m = "it_refused_" + System.nanoTime();
        Instant t0 = Instant.now();
        try (InfluxSink sink = sink(10, 1000, 1)) {
            sink.write(points(m, 0, 10, t0));
            await(() -> sink.stats().written() == 10, 10);
            // field i becomes a string: InfluxDB answers 400 "field type conflict" for the whole batch
            sink.write(List.of(new MetricPoint(m, Map.of("cloud", "c0"), Map.of("i", "seven"), t0.plusSeconds(1))));
            await(() -> sink.stats().dropped() == 1, 10);
            assertThat(sink.stats().lastError()).contains("rejected by the database", "field type conflict");
            sink.write(points(m, 10, 10, t0.plusSeconds(2)));
            await(() -> sink.stats().written() == 20, 10);
        }
        assertThat(count(m)).isEqualTo(20);
    }

    @Test
    void whileInfluxIsDownPointsAreBufferedAndArriveWhenItIsBackAndOverflowIsCounted() throws Exception {
        String m = "it_buffer_" + System.nanoTime();
        try (InfluxSink sink = sink(50, 200, 1)) {
            influx("stop");
            sink.write(points(m, 0, 150));
            await(() -> sink.stats().lastError() != null, 10);
            assertThat(sink.stats().written()).isZero();
            assertThat(sink.stats().buffered()).isEqualTo(150);
            sink.write(points(m, 150, 80));
            assertThat(sink.stats().buffered()).isEqualTo(200);
            assertThat(sink.stats().dropped()).isEqualTo(30);
            influx("start");
            await(() -> sink.stats().written() == 200, 20);
            assertThat(sink.stats().buffered()).isZero();
            assertThat(sink.stats().lastError()).isNull();
        }
        assertThat(count(m)).isEqualTo(200);
        assertThat(query("SELECT max(i) FROM " + m)).contains(",199]]");
    }

    @Test
    void withConcurrentWritersAStreamSurvivesARestartOfInfluxWithNothingLost() throws Exception {
        String m = "it_writers_" + System.nanoTime();
        Instant t0 = Instant.now().minusSeconds(3600);
        int total;
        try (InfluxSink sink = sink(50, 1_000_000, 4)) {
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicInteger offered = new AtomicInteger();
            Thread producer = new Thread(() -> {
                while (producing.get()) {
                    sink.write(points(m, offered.get(), 70, t0));
                    offered.addAndGet(70);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            producer.start();
            await(() -> sink.stats().written() >= 2_000, 10);
            // stopped while the four writers post: the batches in flight fail and are retried (writes of 70 points in
            // batches of 50: batches span the strings of two writes)
            influx("stop");
            await(() -> sink.stats().lastError() != null, 10);
            long writtenWhileDown = sink.stats().written();
            Thread.sleep(300);
            assertThat(sink.stats().written()).isEqualTo(writtenWhileDown);
            influx("start");
            Thread.sleep(300);
            producing.set(false);
            producer.join();
            total = offered.get();
            await(() -> sink.stats().written() == total, 30);
            assertThat(sink.stats().dropped()).isZero();
            assertThat(sink.stats().buffered()).isZero();
            assertThat(sink.stats().lastError()).isNull();
        }
        assertThat(count(m)).isEqualTo(total);
    }
}
