package org.tianshu.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.CapacitySummary;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.metrics.MetricPoint;

class PointMapperTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void anEventBecomesOneCountedPointTaggedByTypeCloudDepartmentAndState() {
        Event e = new Event(EventType.PROVISIONING_STEP, "provisioning/p1", "dept-a", "chengdu-os",
                Map.of("state", "ACTIVE", "externalId", "vm-9"), T);
        MetricPoint p = PointMapper.event(e);
        assertThat(p.measurement()).isEqualTo("events");
        assertThat(p.tags()).containsOnly(entry("type", "provisioning_step"), entry("cloud", "chengdu-os"),
                entry("department", "dept-a"), entry("state", "ACTIVE"));
        assertThat(p.fields()).containsOnly(entry("count", 1L), entry("subject", "provisioning/p1"),
                entry("externalId", "vm-9"));
        assertThat(p.time()).isEqualTo(T);
    }

    @Test
    void anEventWithoutCloudOrDepartmentHasOnlyItsTypeTag() {
        MetricPoint p = PointMapper.event(new Event(EventType.LINK_DOWN, "link/r1-r2", null, null, null, T));
        assertThat(p.tags()).containsOnly(entry("type", "link_down"));
        assertThat(p.seriesKey()).isEqualTo("events,type=link_down");
    }

    @Test
    void attributesNamedLikeTheFixedFieldsDoNotReplaceThem() {
        MetricPoint p = PointMapper.event(new Event(EventType.RESOURCE_CREATED, "workload/w1", null, "c1",
                Map.of("subject", "other", "count", "7", "outcome", "ok"), T));
        assertThat(p.fields()).containsOnly(entry("count", 1L), entry("subject", "workload/w1"));
        assertThat(p.tags()).containsOnly(entry("type", "resource_created"), entry("cloud", "c1"), entry("outcome", "ok"));
    }

    @Test
    void capacityCarriesCapacityAndAllocationPerCloudAndCity() {
        CapacitySummary s = new CapacitySummary("chengdu-os", 3, new Resources(96_000, 393_216, 6000, 4),
                new Resources(24_000, 65_536, 800, 1), 17);
        MetricPoint p = PointMapper.capacity(s, "chengdu", T);
        assertThat(p.measurement()).isEqualTo("capacity");
        assertThat(p.tags()).containsOnly(entry("cloud", "chengdu-os"), entry("city", "chengdu"));
        assertThat(p.fields()).containsOnly(entry("cpu_capacity_millis", 96_000L), entry("cpu_allocated_millis", 24_000L),
                entry("memory_capacity_mib", 393_216L), entry("memory_allocated_mib", 65_536L),
                entry("disk_capacity_gib", 6000L), entry("disk_allocated_gib", 800L), entry("gpus_capacity", 4L),
                entry("gpus_allocated", 1L), entry("hosts", 3L), entry("workloads", 17L));
        assertThat(p.seriesKey()).isEqualTo("capacity,city=chengdu,cloud=chengdu-os");
    }
}
