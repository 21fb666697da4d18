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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    /** Requests wait at the gate until it opens (at most 5 s); counts requests in flight and the most at once. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final Transport<MetricPoint> gated = batch -> {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            calls.incrementAndGet();
            if (!gate.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate not opened within 5 s");
            }
            if (!up.get()) {
                throw new IOException("connection refused");
            }
            sent.add(List.copyOf(batch));
        } finally {
            inFlight.decrementAndGet();
        }
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
        try (BufferedWriter<MetricPoint> w = new BufferedWriter<>(fake, 10, Duration.ofMillis(200), 100, Duration.ofSeconds(1), 1, "t")) {
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
        try (BufferedWriter<MetricPoint> w = new BufferedWriter<>(fake, 10, Duration.ofMillis(20), 50, Duration.ofMillis(200), 1, "t")) {
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

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void retriesBackOffExponentially(int writers) throws Exception {
        up.set(false);
        try (BufferedWriter<MetricPoint> w = new BufferedWriter<>(fake, 10, Duration.ofMillis(10), 50, Duration.ofSeconds(10), writers, "t")) {
            w.offer(points(0, 30));
            // waits of 100, 200, 400 ms: about 4 attempts in the first 800 ms (a first one per writer that had a batch),
            // not one every 10 ms per writer
            Thread.sleep(800);
            assertThat(calls.get()).isBetween(3, 4 + writers);
        }
    }

    private List<Long> range(int from, int to) {
        return java.util.stream.LongStream.range(from, to).boxed().toList();
    }

    @Test
    void writersSendBatchesConcurrentlyUpToTheirNumber() throws Exception {
        gate = new CountDownLatch(1);
        try (BufferedWriter<MetricPoint> w = new BufferedWriter<>(gated, 10, Duration.ofMillis(20), 100, Duration.ofSeconds(1), 3, "t")) {
            w.offer(points(0, 60));
            await(() -> inFlight.get() == 3);
            Thread.sleep(100);
            assertThat(mostInFlight.get()).isEqualTo(3);
            assertThat(w.stats().buffered()).isEqualTo(60);
            assertThat(w.stats().written()).isZero();
            gate.countDown();
            await(() -> w.stats().written() == 60);
            assertThat(sentValues()).containsExactlyInAnyOrderElementsOf(range(0, 60));
            assertThat(mostInFlight.get()).isEqualTo(3);
            assertThat(w.stats().buffered()).isZero();
        }
    }

    @Test
    void batchesInFlightWhenTheServerFailsAreRetriedNotLostAndCountsStayExact() throws Exception {
        gate = new CountDownLatch(1);
        try (BufferedWriter<MetricPoint> w = new BufferedWriter<>(gated, 10, Duration.ofMillis(20), 50, Duration.ofMillis(200), 3, "t")) {
            w.offer(points(0, 40));
            await(() -> inFlight.get() == 3);
            // 30 points in flight count against the capacity: 10 of these 20 fit, 10 are dropped
            w.offer(points(40, 20));
            assertThat(w.stats().buffered()).isEqualTo(50);
            assertThat(w.stats().dropped()).isEqualTo(10);
            up.set(false);
            gate.countDown();
            await(() -> w.stats().lastError() != null && inFlight.get() == 0);
            mostInFlight.set(0);
            int before = calls.get();
            Thread.sleep(450);
            // while it fails, one probe at a time after waits of 100, 200, 200 ms
            assertThat(mostInFlight.get()).isEqualTo(1);
            assertThat(calls.get() - before).isBetween(2, 4);
            assertThat(w.stats().written()).isZero();
            assertThat(w.stats().buffered()).isEqualTo(50);
            assertThat(w.stats().lastError()).contains("connection refused");
            up.set(true);
            await(() -> w.stats().written() == 50);
            assertThat(sentValues()).containsExactlyInAnyOrderElementsOf(range(0, 50));
            assertThat(w.stats().buffered()).isZero();
            assertThat(w.stats().dropped()).isEqualTo(10);
            assertThat(w.stats().lastError()).isNull();
            // and the writers go concurrent again
            gate = new CountDownLatch(1);
            mostInFlight.set(0);
            w.offer(points(100, 30));
            await(() -> inFlight.get() == 3);
            gate.countDown();
            await(() -> w.stats().written() == 80);
        }
    }

    @Test
    void closeWaitsForTheBatchesInFlightAndSendsTheRest() throws Exception {
        gate = new CountDownLatch(1);
        BufferedWriter<MetricPoint> w = new BufferedWriter<>(gated, 10, Duration.ofSeconds(60), 100, Duration.ofSeconds(1), 2, "t");
        w.offer(points(0, 25));
        await(() -> inFlight.get() == 2);
        Thread closer = new Thread(w::close);
        closer.start();
        Thread.sleep(100);
        assertThat(closer.isAlive()).isTrue();
        gate.countDown();
        closer.join(5000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(sentValues()).containsExactlyInAnyOrderElementsOf(range(0, 25));
        assertThat(w.stats().written()).isEqualTo(25);
        assertThat(w.stats().buffered()).isZero();
    }

    @Test
    void closeTriesOnceToWriteWhatIsBuffered() throws Exception {
        BufferedWriter<MetricPoint> w = new BufferedWriter<>(fake, 100, Duration.ofSeconds(60), 1000, Duration.ofSeconds(1), 1, "t");
        w.offer(points(0, 7));
        w.close();
        assertThat(sentValues()).hasSize(7);
    }

    @Test
    void aBatchTheDatabaseRefusesIsDroppedAndCountedAndTheNextOnesGoOn() throws Exception {
        Transport<MetricPoint> refusesSeven = batch -> {
            calls.incrementAndGet();
            if (batch.stream().anyMatch(p -> (Long) p.fields().get("i") == 7)) {
                throw new Transport.Rejected("partial write: field type conflict", null);
            }
            sent.add(List.copyOf(batch));
        };
        try (BufferedWriter<MetricPoint> w = new BufferedWriter<>(refusesSeven, 10, Duration.ofMillis(20), 100, Duration.ofSeconds(10), 1, "t")) {
            w.offer(points(0, 30));
            await(() -> w.stats().written() == 20 && w.stats().dropped() == 10);
            assertThat(calls.get()).as("refused once, never retried").isEqualTo(3);
            assertThat(sentValues()).containsExactlyElementsOf(java.util.stream.LongStream.range(10, 30).boxed().toList());
            assertThat(w.stats().lastError()).contains("rejected by the database", "field type conflict");
            assertThat(w.stats().buffered()).isZero();
            w.offer(points(30, 10));
            await(() -> w.stats().written() == 30);
            assertThat(w.stats().lastError()).as("a rejection stays reported after later writes").contains("field type conflict");
        }
    }

    @Test
    void invalidSettingsNameTheKey() {
        assertThatThrownBy(() -> new InfluxSettings("", "tianshu", "", "", 10, Duration.ofSeconds(1), 100, Duration.ofSeconds(1), 1))
                .hasMessageContaining("url");
        assertThatThrownBy(() -> new InfluxSettings("ftp://x", "tianshu", "", "", 10, Duration.ofSeconds(1), 100, Duration.ofSeconds(1), 1))
                .hasMessageContaining("url");
        assertThatThrownBy(() -> new InfluxSettings("http://h:8086", "tianshu", "", "", 10, Duration.ofSeconds(1), 5, Duration.ofSeconds(1), 1))
                .hasMessageContaining("bufferSize");
        assertThatThrownBy(() -> new InfluxSettings("http://h:8086", " ", "", "", 10, Duration.ofSeconds(1), 100, Duration.ofSeconds(1), 1))
                .hasMessageContaining("database");
        assertThatThrownBy(() -> new InfluxSettings("http://h:8086", "tianshu", "", "", 10, Duration.ofSeconds(1), 100, Duration.ofSeconds(1), 0))
                .hasMessageContaining("writers");
    }
}
