package org.tianshu.dr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tianshu.api.TianshuException;

class CloudGateTest {
    @Test
    void callsInFlightPerCloudNeverExceedTheConfiguredConcurrency() throws Exception {
        CloudGate gate = new CloudGate(2, CloudGate.parse("concurrencyOverrides", new String[] {"big=5"}));
        ExecutorService pool = Executors.newFixedThreadPool(24);
        Map<String, AtomicInteger> now = Map.of("small", new AtomicInteger(), "big", new AtomicInteger());
        Map<String, AtomicInteger> peak = Map.of("small", new AtomicInteger(), "big", new AtomicInteger());
        BusyClock clock = new BusyClock();
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String cloud = i % 2 == 0 ? "small" : "big";
            calls.add(pool.submit(() -> gate.run(cloud, clock, () -> {
                peak.get(cloud).accumulateAndGet(now.get(cloud).incrementAndGet(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                now.get(cloud).decrementAndGet();
            })));
        }
        for (Future<?> f : calls) {
            f.get();
        }
        pool.shutdown();
        assertThat(peak.get("small").get()).isEqualTo(2);
        assertThat(peak.get("big").get()).isEqualTo(5);
        // 20 calls of 20 ms, 2 at a time on the slower cloud: at least 200 ms busy, counted once however many overlap
        assertThat(clock.total()).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    @Test
    void badOverridesNameTheKey() {
        assertThatThrownBy(() -> CloudGate.parse("concurrencyOverrides", new String[] {"x=0"}))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("concurrencyOverrides"));
        assertThatThrownBy(() -> CloudGate.parse("concurrencyOverrides", new String[] {"x"}))
                .isInstanceOf(TianshuException.class);
    }
}
