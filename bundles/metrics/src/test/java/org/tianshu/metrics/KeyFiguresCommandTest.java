package org.tianshu.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.CapacitySummary;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;

class KeyFiguresCommandTest {
    private static String print(MetricsHub hub) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        KeyFiguresCommand.print(hub, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void provinceAndBusiestCloudsPlanesAndDrEventsAndDelivery() {
        MetricsHub hub = new MetricsHub();
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        hub.record(List.of(
                PointMapper.capacity(new CapacitySummary("c1", 2, new Resources(64000, 262144, 2000, 4),
                        new Resources(48000, 131072, 500, 1), 10), "chengdu", t),
                PointMapper.capacity(new CapacitySummary("c2", 1, new Resources(16000, 65536, 1000, 0),
                        new Resources(4000, 65536, 0, 0), 3), "mianyang", t)));
        hub.onEvent(Event.now(EventType.LINK_DOWN, "link/l1", null, null, Map.of()));
        hub.onEvent(Event.now(EventType.PLANE_REROUTED, "reservation/a", null, null, Map.of()));
        hub.onEvent(Event.now(EventType.DR_STEP_FAILED, "dr-run/1", null, null, Map.of()));

        String out = print(hub);
        // cpu (48+4)/(64+16) = 65%, memory (128+64)/(256+64) Gi = 60%, gpus 1/4
        assertThat(out).contains("province  cpu 65.0%  memory 60.0%  disk 16.7%  gpus 25.0%  hosts 3  workloads 13");
        assertThat(out.indexOf("c1        cpu 75.0%")).isLessThan(out.indexOf("c2        cpu 25.0%"));
        assertThat(out).contains("link_down 1").contains("plane_rerouted 1").contains("plane_slo_violated 0");
        assertThat(out).contains("dr_step_failed 1");
        assertThat(out).contains("Metrics: kept in memory only");
    }

    @Test
    void nothingSampledYet() {
        assertThat(print(new MetricsHub())).contains("no capacity sampled yet");
    }
}
