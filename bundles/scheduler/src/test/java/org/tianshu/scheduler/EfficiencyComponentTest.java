package org.tianshu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tianshu.scheduler.Fixtures.cloud;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.event.EventType;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.metrics.MetricsRecorder;
import org.tianshu.api.scheduling.Efficiency;
import org.tianshu.api.scheduling.Usage;
import org.tianshu.api.tenancy.QuotaService;
import org.tianshu.persistence.Database;

/** The idle history survives a restart: the idle period does not start again. */
class EfficiencyComponentTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Caller OPS = new Caller("ops", Set.of(Caller.OPERATOR));
    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void setUp() {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "", 4);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private EfficiencyComponent start(Instant now) {
        CloudService clouds = proxy(CloudService.class, List.of(cloud("cd", "chengdu")));
        InventoryService inventory = (InventoryService) Proxy.newProxyInstance(InventoryService.class.getClassLoader(),
                new Class<?>[] {InventoryService.class}, (p, m, a) -> m.getName().equals("hosts")
                        ? List.of(new Host("cd", "h1", "az1", new Resources(8000, 32768, 100, 0), new Resources(2000, 4096, 10, 0), null, true))
                        : List.of(new Workload("cd", "vm-1", "his", WorkloadKind.VM, null, "h1", WorkloadState.ACTIVE,
                                new Resources(2000, 4096, 10, 0), null)));
        EfficiencyComponent c = new EfficiencyComponent(db.dataSource(), clouds, inventory, proxy(QuotaService.class, List.of()),
                Clock.fixed(now, ZoneOffset.UTC));
        c.addUsageSource(() -> List.of(new Usage("cd", "h1", "vm-1", 0.01, now)));
        return c;
    }

    @Test
    void aRestartKeepsSinceWhenAWorkloadHasBeenIdle() {
        Efficiency first = start(T0).evaluate(OPS);
        assertThat(first.workloads().get(0).lowSince()).isEqualTo(T0);
        assertThat(first.workloads().get(0).idle()).isFalse();

        Efficiency later = start(T0.plus(Duration.ofDays(8))).evaluate(OPS);
        assertThat(later.workloads().get(0).lowSince()).isEqualTo(T0);
        assertThat(later.workloads().get(0).idle()).isTrue();
    }

    @Test
    void anExportPublishesEachCapacityCrossingOnceWhileAPublisherIsThere() {
        java.util.concurrent.atomic.AtomicLong allocatedCpu = new java.util.concurrent.atomic.AtomicLong(2000);
        InventoryService inventory = (InventoryService) Proxy.newProxyInstance(InventoryService.class.getClassLoader(),
                new Class<?>[] {InventoryService.class}, (p, m, a) -> m.getName().equals("hosts")
                        ? List.of(new Host("cd", "h1", "az1", new Resources(8000, 32768, 100, 0),
                                new Resources(allocatedCpu.get(), 4096, 10, 0), null, true))
                        : List.of());
        EfficiencyComponent c = new EfficiencyComponent(db.dataSource(), proxy(CloudService.class,
                List.of(cloud("cd", "chengdu"))), inventory, proxy(QuotaService.class, List.of()), Clock.fixed(T0, ZoneOffset.UTC));
        List<Event> published = new java.util.ArrayList<>();
        EventPublisher publisher = published::add;
        c.setEventPublisher(publisher);
        c.export();
        assertThat(published).isEmpty();

        allocatedCpu.set(1_000_000);
        c.export();
        c.export();
        assertThat(published).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.CAPACITY_THRESHOLD);
            assertThat(e.attributes()).containsEntry("cloud", "cd").containsEntry("direction", "above")
                    .containsEntry("threshold", "0.85").containsEntry("overloadedHosts", "h1");
        });

        allocatedCpu.set(2000);
        c.export();
        c.export();
        assertThat(published).extracting(e -> e.attributes().get("direction")).containsExactly("above", "below");

        // crossings while no publisher is there are not published later
        c.unsetEventPublisher(publisher);
        allocatedCpu.set(1_000_000);
        c.export();
        c.setEventPublisher(publisher);
        c.export();
        assertThat(published).hasSize(2);
    }

    @Test
    void anExportIsRecordedOnlyWhileARecorderIsThere() {
        EfficiencyComponent c = start(T0);
        assertThat(c.export()).isNotNull();
        List<MetricPoint> recorded = new java.util.ArrayList<>();
        MetricsRecorder recorder = recorded::addAll;
        c.setRecorder(recorder);
        c.export();
        assertThat(recorded).isNotEmpty().allMatch(p -> p.measurement().equals("efficiency"));
        assertThat(recorded).anyMatch(p -> "h1".equals(p.tags().get("host")) && "cd".equals(p.tags().get("cloud")));
        int seen = recorded.size();
        c.unsetRecorder(recorder);
        c.export();
        assertThat(recorded).hasSize(seen);
    }

    private static <T> T proxy(Class<T> type, Object answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> answer));
    }
}
