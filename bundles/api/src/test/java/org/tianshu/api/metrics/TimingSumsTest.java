package org.tianshu.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimingSumsTest {
    private static final Instant T = Instant.parse("2026-11-23T15:00:00Z");

    @Test
    void eachSeriesBecomesOnePointWithCountMeanMaxAndAmountOnce() {
        TimingSums sums = new TimingSums("placement", "us", "members");
        Map<String, String> placed = Map.of("outcome", "placed", "cloud", "c1");
        sums.add(placed, 1_000, 1);
        sums.add(placed, 3_000, 2);
        sums.add(Map.of("outcome", "refused"), 500, 0);

        List<MetricPoint> points = sums.drain(T);
        assertThat(points).hasSize(2).allMatch(p -> p.measurement().equals("placement") && p.time().equals(T));
        MetricPoint p = points.stream().filter(x -> x.tags().equals(placed)).findFirst().orElseThrow();
        assertThat(p.fields()).containsEntry("count", 2L).containsEntry("members", 3L).containsEntry("latency_us", 2.0)
                .containsEntry("latency_us_max", 3.0);
        assertThat(sums.drain(T)).as("drained once").isEmpty();
    }

    @Test
    void millisecondsAndNoAmount() {
        TimingSums sums = new TimingSums("api_request", "ms", null);
        sums.add(Map.of("method", "GET"), 2_500_000, 0);
        assertThat(sums.drain(T).get(0).fields()).containsOnlyKeys("count", "latency_ms", "latency_ms_max")
                .containsEntry("latency_ms", 2.5);
        assertThatThrownBy(() -> new TimingSums("x", "s", null)).hasMessageContaining("unit must be ms or us");
    }
}
