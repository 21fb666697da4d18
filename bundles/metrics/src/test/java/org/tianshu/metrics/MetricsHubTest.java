package org.tianshu.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.metrics.MetricsSink;
import org.tianshu.api.metrics.SinkStats;

class MetricsHubTest {
    private static MetricPoint cap(String cloud, long workloads, Instant t) {
        return new MetricPoint("capacity", Map.of("cloud", cloud), Map.of("workloads", workloads), t);
    }

    /** Remembers what it is given. */
    static class ListSink implements MetricsSink {
        final List<MetricPoint> points = new ArrayList<>();

        @Override
        public void write(List<MetricPoint> p) {
            points.addAll(p);
        }

        @Override
        public SinkStats stats() {
            return new SinkStats(0, 0, points.size(), null);
        }

        @Override
        public String toString() {
            return "list";
        }
    }

    @Test
    void withoutSinksTheLatestValueOfEverySeriesIsKept() {
        MetricsHub hub = new MetricsHub();
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        hub.record(List.of(cap("c1", 1, t), cap("c2", 5, t)));
        hub.record(List.of(cap("c1", 2, t.plusSeconds(30))));
        hub.record(List.of(cap("c2", 4, t.minusSeconds(30))));
        assertThat(hub.latest()).extracting(p -> p.fields().get("workloads")).containsExactly(2L, 5L);
        assertThat(hub.sinks()).isEmpty();
    }

    @Test
    void everySinkGetsEveryPointAndAFailingSinkDoesNotStopTheOthers() {
        MetricsHub hub = new MetricsHub();
        hub.addSink(new MetricsSink() {
            @Override
            public void write(List<MetricPoint> points) {
                throw new IllegalStateException("broken on purpose");
            }

            @Override
            public SinkStats stats() {
                return new SinkStats(0, 0, 0, "broken");
            }
        });
        ListSink sink = new ListSink();
        hub.addSink(sink);
        hub.onEvent(Event.now(EventType.CLOUD_SYNCED, "cloud/c1", null, "c1", Map.of()));
        hub.onEvent(Event.now(EventType.CLOUD_SYNCED, "cloud/c1", null, "c1", Map.of()));
        hub.onEvent(Event.now(EventType.LINK_DOWN, "link/l1", null, null, Map.of()));
        assertThat(sink.points).hasSize(3).allMatch(p -> p.measurement().equals("events"));
        assertThat(hub.eventCounts()).containsExactly(entry("cloud_synced", 2L), entry("link_down", 1L));
    }

    @Test
    void aBatchOfEventsIsOneWriteOfTheirPointsInOrderAndEveryEventIsCounted() {
        MetricsHub hub = new MetricsHub();
        List<Integer> writes = new ArrayList<>();
        ListSink sink = new ListSink() {
            @Override
            public void write(List<MetricPoint> p) {
                writes.add(p.size());
                super.write(p);
            }
        };
        hub.addSink(sink);
        hub.onEvents(List.of(Event.now(EventType.CLOUD_SYNCED, "cloud/c1", null, "c1", Map.of()),
                Event.now(EventType.LINK_DOWN, "link/l1", null, null, Map.of()),
                Event.now(EventType.LINK_DOWN, "link/l2", null, null, Map.of()),
                Event.now(EventType.CLOUD_SYNCED, "cloud/c2", null, "c2", Map.of())));
        hub.onEvents(List.of());
        assertThat(writes).containsExactly(4);
        assertThat(sink.points).extracting(p -> p.fields().get("subject"))
                .containsExactly("cloud/c1", "link/l1", "link/l2", "cloud/c2");
        assertThat(hub.eventCounts()).containsExactly(entry("cloud_synced", 2L), entry("link_down", 2L));
    }

    @Test
    void theCommandPrintsSeriesEventCountsAndSinks() {
        MetricsHub hub = new MetricsHub();
        hub.record(List.of(cap("c1", 7, Instant.parse("2026-11-23T10:00:00Z"))));
        hub.onEvent(Event.now(EventType.RESOURCE_CREATED, "workload/w1", "d1", "c1", Map.of()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetricsCommand.print(hub, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("capacity,cloud=c1 {workloads=7}")
                .contains("resource_created")
                .contains("none configured");
        hub.addSink(new ListSink());
        out.reset();
        MetricsCommand.print(hub, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("list: written 0, buffered 0, dropped 0");
    }
}
