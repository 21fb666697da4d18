package org.tianshu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Resources;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.scheduling.Efficiency;
import org.tianshu.api.scheduling.Efficiency.HostLine;
import org.tianshu.api.scheduling.Efficiency.Line;

class CapacityWatchTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private static final Resources CAP = new Resources(10000, 10000, 0, 0);

    /** Clouds cd and my; cd at {@code cpu}/{@code mem} allocation with host h2 overloaded above 0.85, my at 0.5. */
    private static Efficiency evaluation(double cpu, double mem) {
        boolean hot = Math.max(cpu, mem) > 0.85;
        return new Efficiency(T, List.of(line("cd", cpu, mem), line("my", 0.5, 0.5)), List.of(),
                List.of(host("cd", "h1", false), host("cd", "h2", hot), host("my", "h9", false)), List.of());
    }

    private static Line line(String id, double cpu, double mem) {
        return new Line(id, CAP, Resources.ZERO, cpu, mem, null, 2, 0, 0, 0, 0);
    }

    private static HostLine host(String cloud, String name, boolean overloaded) {
        return new HostLine(cloud, name, CAP, Resources.ZERO, 0, 0, null, overloaded, 0);
    }

    @Test
    void eachCrossingIsPublishedOnceWithItsDirection() {
        CapacityWatch watch = new CapacityWatch(0.85);
        assertThat(watch.crossings(evaluation(0.5, 0.6))).isEmpty();
        assertThat(watch.crossings(evaluation(0.85, 0.8))).as("at the threshold is not above").isEmpty();

        List<Event> up = watch.crossings(evaluation(0.7, 0.9));
        assertThat(up).hasSize(1);
        Event e = up.get(0);
        assertThat(e.type()).isEqualTo(EventType.CAPACITY_THRESHOLD);
        assertThat(e.subject()).isEqualTo("cloud/cd");
        assertThat(e.cloudId()).isEqualTo("cd");
        assertThat(e.departmentId()).isNull();
        assertThat(e.at()).isEqualTo(T);
        assertThat(e.attributes()).containsEntry("cloud", "cd").containsEntry("share", "0.9")
                .containsEntry("threshold", "0.85").containsEntry("direction", "above")
                .containsEntry("overloadedHosts", "h2");

        assertThat(watch.crossings(evaluation(0.95, 0.9))).as("still above").isEmpty();
        List<Event> down = watch.crossings(evaluation(0.6, 0.84));
        assertThat(down).extracting(x -> x.attributes().get("direction")).containsExactly("below");
        assertThat(down.get(0).attributes()).containsEntry("share", "0.84").containsEntry("overloadedHosts", "");
        assertThat(watch.crossings(evaluation(0.6, 0.5))).as("still below").isEmpty();
        assertThat(watch.crossings(evaluation(0.99, 0.5))).extracting(x -> x.attributes().get("direction"))
                .containsExactly("above");
    }
}
