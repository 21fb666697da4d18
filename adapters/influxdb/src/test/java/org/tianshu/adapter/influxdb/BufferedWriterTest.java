package org.tianshu.adapter.influxdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.tianshu.api.metrics.MetricPoint;

class BufferedWriterTest {
    private final AtomicBoolean up = new AtomicBoolean(true);
    private final AtomicInteger calls = new AtomicInteger();
    private final List<List<MetricPoint>> sent = new CopyOnWriteArrayList<>();
    private final Transport<MetricPoint> fake = batch -> {
        calls.incrementAndGet();
        if (!up.get()) {
            throw new IOException("connection refused");
        }
        sent.add(List.copyOf(batch));
    };

    static List<MetricPoint> points(int from, int n) {
        List<MetricPoint> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(new MetricPoint("m", Map.of("k", "v"), Map.of("i", (long) i), Instant.ofEpochSecond(i)));
        }
        return out;
    }

    static void await(BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 5 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private List<Long> sentValues() {
        return sent.stream().flatMap(List::stream).map(p -> (Long) p.fields().get("i")).toList();
    }

    @Test
    void fullBatchesGoAtOnceAndARemainderAfterTheFlushInterval() throws Exception {
        try (BufferedWriter<MetricPoint> w = new BufferedWriter<>(fake, 10, Duration.ofMillis(200), 100, Duration.ofSeconds(1), "t")) {
            w.offer(points(0, 25));
            await(() -> w.stats().written() == 25);
            assertThat(sent).extracting(List::size).containsExactly(10, 10, 5);
            assertThat(sentValues()).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 25).boxed().toList());
            assertThat(w.stats().buffered()).isZero();
        }
    }

    @Test
    void whileTheServerIsDownPointsStayBufferedUpToCapacityAndTheRestAreCounted() throws Exception {
        up.set(false);
        try (BufferedWriter<MetricPoint> w = new BufferedWriter<>(fake, 10, Duration.ofMillis(20), 50, Duration.ofMillis(200), "t")) {
            w.offer(points(0, 40));
            await(() -> calls.get() >= 3);
            assertThat(w.stats().written()).isZero();
            assertThat(w.stats().buffered()).isEqualTo(40);
            assertThat(w.stats().lastError()).contains("connection refused");
            w.offer(points(40, 25));
            assertThat(w.stats().buffered()).isEqualTo(50);
            assertThat(w.stats().dropped()).isEqualTo(15);
            up.set(true);
            await(() -> w.stats().written() == 50);
            assertThat(sentValues()).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 50).boxed().toList());
            assertThat(w.stats().buffered()).isZero();
            assertThat(w.stats().lastError()).isNull();
        }
    }

    @Test
    void retriesBackOffExponentially() throws Exception {
        up.set(false);
        try (BufferedWriter<MetricPoint> w = new BufferedWriter<>(fake, 10, Duration.ofMillis(10), 50, Duration.ofSeconds(10), "t")) {
            w.offer(points(0, 10));
            // waits of 100, 200, 400 ms: about 4 attempts in the first 800 ms, not one every 10 ms
            Thread.sleep(800);
            assertThat(calls.get()).isBetween(3, 5);
        }
    }

    @Test
    void closeTriesOnceToWriteWhatIsBuffered() throws Exception {
        BufferedWriter<MetricPoint> w = new BufferedWriter<>(fake, 100, Duration.ofSeconds(60), 1000, Duration.ofSeconds(1), "t");
        w.offer(points(0, 7));
        w.close();
        assertThat(sentValues()).hasSize(7);
    }

    @Test
    void invalidSettingsNameTheKey() {
        assertThatThrownBy(() -> new InfluxSettings("", "tianshu", "", "", 10, Duration.ofSeconds(1), 100, Duration.ofSeconds(1)))
                .hasMessageContaining("url");
        assertThatThrownBy(() -> new InfluxSettings("ftp://x", "tianshu", "", "", 10, Duration.ofSeconds(1), 100, Duration.ofSeconds(1)))
                .hasMessageContaining("url");
        assertThatThrownBy(() -> new InfluxSettings("http://h:8086", "tianshu", "", "", 10, Duration.ofSeconds(1), 5, Duration.ofSeconds(1)))
                .hasMessageContaining("bufferSize");
        assertThatThrownBy(() -> new InfluxSettings("http://h:8086", " ", "", "", 10, Duration.ofSeconds(1), 100, Duration.ofSeconds(1)))
                .hasMessageContaining("database");
    }
}
