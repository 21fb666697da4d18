package org.tianshu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.tianshu.scheduler.Fixtures.cloud;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.scheduling.Efficiency;
import org.tianshu.api.scheduling.Efficiency.HostLine;
import org.tianshu.api.scheduling.Efficiency.Line;
import org.tianshu.api.scheduling.Efficiency.WorkloadLine;
import org.tianshu.api.scheduling.Usage;

class EfficiencyEvaluatorTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final EfficiencyEvaluator evaluator = new EfficiencyEvaluator(new EfficiencyEvaluator.Settings(0.9, 0.05,
            Duration.ofDays(7), new Resources(2000, 4096, 0, 0)), new Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return clock.instant();
                }
            });

    private final List<Cloud> clouds = List.of(cloud("chengdu-os", "chengdu", 3, false, Map.of("overcommit.cpu", "2")),
            cloud("mianyang-os", "mianyang"));
    private final List<Host> hosts = List.of(
            // 8 cores at 2x overcommit = 16 cores, 15 allocated: overloaded on CPU
            new Host("chengdu-os", "cd-1", "az1", new Resources(8000, 32768, 500, 0), new Resources(15_000, 8192, 100, 0), null, true),
            // 3 cores and 60 GiB free: one 2-core reference VM fits, the third core is stranded
            new Host("mianyang-os", "my-1", "az1", new Resources(4000, 65536, 500, 0), new Resources(1000, 4096, 20, 0), null, true),
            new Host("mianyang-os", "my-2", "az1", new Resources(4000, 65536, 500, 0), Resources.ZERO, null, true),
            new Host("mianyang-os", "my-down", "az1", new Resources(4000, 65536, 500, 0), Resources.ZERO, null, false));
    private final List<Workload> workloads = List.of(
            new Workload("chengdu-os", "vm-1", "his", WorkloadKind.VM, "health", "cd-1", WorkloadState.ACTIVE,
                    new Resources(15_000, 8192, 100, 0), null),
            new Workload("mianyang-os", "vm-2", "exam", WorkloadKind.VM, "edu", "my-1", WorkloadState.ACTIVE,
                    new Resources(1000, 4096, 20, 0), null));

    private Efficiency evaluate(List<Usage> usage) {
        return evaluator.evaluate(clouds, hosts, workloads, usage, d -> d.equals("health") ? new Resources(30_000, 16384, 0, 0) : null);
    }

    private static HostLine host(Efficiency e, String name) {
        return e.hosts().stream().filter(h -> h.host().equals(name)).findFirst().orElseThrow();
    }

    private static Line line(List<Line> lines, String id) {
        return lines.stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void allocationAfterOvercommitOverloadAndFragmentation() {
        Efficiency e = evaluate(List.of());

        HostLine cd = host(e, "cd-1");
        assertThat(cd.capacity().cpuMillis()).isEqualTo(16_000);
        assertThat(cd.cpuAllocation()).isCloseTo(15.0 / 16, within(1e-9));
        assertThat(cd.overloaded()).isTrue();
        assertThat(cd.cpuUse()).isNull();
        assertThat(host(e, "my-1").fragmentation()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(host(e, "my-2").fragmentation()).isZero();
        assertThat(e.hosts()).extracting(HostLine::host).doesNotContain("my-down");

        Line mianyang = line(e.clouds(), "mianyang-os");
        assertThat(mianyang.hosts()).isEqualTo(2);
        assertThat(mianyang.emptyHosts()).isEqualTo(1);
        assertThat(mianyang.overloadedHosts()).isZero();
        assertThat(mianyang.cpuAllocation()).isCloseTo(1000.0 / 8000, within(1e-9));
        assertThat(mianyang.fragmentation()).isCloseTo(1000.0 / 7000, within(1e-9));
        assertThat(line(e.clouds(), "chengdu-os").overloadedHosts()).isEqualTo(1);

        // a department against its quota, or the province's capacity without one
        assertThat(line(e.departments(), "health").cpuAllocation()).isCloseTo(0.5, within(1e-9));
        assertThat(line(e.departments(), "edu").cpuAllocation()).isCloseTo(1000.0 / 24_000, within(1e-9));
    }

    @Test
    void measuredUseCountsAndAWorkloadIsIdleOnlyAfterThePeriodWithoutABreak() {
        Usage low = new Usage("mianyang-os", "my-1", "vm-2", 0.01, T0);
        Efficiency first = evaluate(List.of(low, new Usage("mianyang-os", "my-1", null, 0.95, T0)));
        WorkloadLine exam = first.workloads().get(1);
        assertThat(exam.cpuUse()).isEqualTo(0.01);
        assertThat(exam.lowSince()).isEqualTo(T0);
        assertThat(exam.idle()).isFalse();
        // measured use above the threshold overloads a host whose allocation is low
        assertThat(host(first, "my-1").overloaded()).isTrue();
        assertThat(line(first.clouds(), "mianyang-os").cpuUse()).isCloseTo(0.95 * 4000 / 8000, within(1e-9));

        clock = Clock.fixed(T0.plus(Duration.ofDays(8)), ZoneOffset.UTC);
        Efficiency later = evaluate(List.of(low));
        assertThat(later.workloads().get(1).idle()).isTrue();
        assertThat(later.workloads().get(1).lowFor(later.at())).isEqualTo(Duration.ofDays(8));
        assertThat(line(later.departments(), "edu").idleWorkloads()).isEqualTo(1);
        assertThat(line(later.clouds(), "mianyang-os").idleWorkloads()).isEqualTo(1);
        assertThat(later.workloads().get(0).idle()).isFalse();

        Efficiency busy = evaluate(List.of(new Usage("mianyang-os", "my-1", "vm-2", 0.4, later.at())));
        assertThat(busy.workloads().get(1).idle()).isFalse();
        assertThat(busy.workloads().get(1).lowSince()).isNull();
    }

    @Test
    void pointsCarryEveryLevel() {
        List<MetricPoint> points = EfficiencyEvaluator.points(evaluate(List.of()));
        assertThat(points).allSatisfy(p -> assertThat(p.measurement()).isEqualTo("efficiency"));
        assertThat(points).extracting(p -> p.tags().get("level")).contains("cloud", "department", "host");
        MetricPoint cd = points.stream().filter(p -> "cd-1".equals(p.tags().get("host"))).findFirst().orElseThrow();
        assertThat(cd.fields()).containsEntry("overloaded", true).doesNotContainKey("cpu_use");
    }
}
