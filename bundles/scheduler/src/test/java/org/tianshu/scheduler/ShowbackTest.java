package org.tianshu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.scheduling.ShowbackReport;
import org.tianshu.persistence.Database;

class ShowbackTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    @TempDir
    Path dir;
    Database db;
    Instant now = T0;
    final List<Workload> workloads = new ArrayList<>();
    Showback showback;

    @BeforeEach
    void setUp() {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "", 4);
        InventoryService inventory = (InventoryService) Proxy.newProxyInstance(InventoryService.class.getClassLoader(),
                new Class<?>[] {InventoryService.class}, (p, m, a) -> List.copyOf(workloads));
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        showback = new Showback(db.dataSource(), inventory, clock, Duration.ofHours(1), "CNY",
                new ShowbackReport.Rates(0.1, 0.02, 8, 0.001));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private void vm(String dept, String cloud, Resources r, WorkloadState state) {
        workloads.add(new Workload(cloud, "ext-" + workloads.size(), "w" + workloads.size(), WorkloadKind.VM, dept, "h1", state, r, null));
    }

    @Test
    void usageIsMeteredPerDepartmentAndCloudAndPriced() {
        vm("health", "chengdu-os", new Resources(4000, 8192, 100, 1), WorkloadState.ACTIVE);
        vm("health", "chengdu-os", new Resources(2000, 4096, 0, 0), WorkloadState.ACTIVE);
        vm("edu", "mianyang-os", new Resources(1000, 1024, 10, 0), WorkloadState.ACTIVE);
        vm("edu", "mianyang-os", new Resources(64_000, 1024, 10, 0), WorkloadState.ERROR);
        vm(null, "mianyang-os", new Resources(1000, 1024, 10, 0), WorkloadState.ACTIVE);
        // the first sample stands for one period; then 1 h, then a 5 h gap counts as 2 periods at most
        assertThat(showback.sample()).isEqualTo(2);
        now = T0.plus(Duration.ofHours(1));
        showback.sample();
        now = T0.plus(Duration.ofHours(6));
        showback.sample();

        ShowbackReport r = showback.report(T0, T0.plus(Duration.ofDays(1)), null, Caller.SYSTEM);
        assertThat(r.lines()).extracting(ShowbackReport.Line::departmentId).containsExactly("edu", "health");
        ShowbackReport.Line health = r.lines().get(1);
        // 4 hours of 6 vCPU, 12 GiB, 1 GPU, 100 GiB
        assertThat(health.vcpuHours()).isCloseTo(24, within(1e-9));
        assertThat(health.memoryGibHours()).isCloseTo(48, within(1e-9));
        assertThat(health.gpuHours()).isCloseTo(4, within(1e-9));
        assertThat(health.storageGibHours()).isCloseTo(400, within(1e-9));
        assertThat(health.cost()).isCloseTo(24 * 0.1 + 48 * 0.02 + 4 * 8 + 400 * 0.001, within(0.005));
        assertThat(r.toCsv()).startsWith("department,cloud,vcpu_hours,memory_gib_hours,gpu_hours,storage_gib_hours,cost,currency\r\n")
                .contains("health,chengdu-os,24,48,4,400,35.76,CNY\r\n");

        // a period holds the samples taken in it; department users see their own
        assertThat(showback.report(T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofHours(2)), "health", Caller.SYSTEM)
                .lines().get(0).vcpuHours()).isCloseTo(6, within(1e-9));
        Caller alice = new Caller("alice", Set.of("dept-health"));
        assertThat(showback.report(T0, T0.plus(Duration.ofDays(1)), null, alice).lines())
                .extracting(ShowbackReport.Line::departmentId).containsExactly("health");
        assertThatThrownBy(() -> showback.report(T0, T0.plus(Duration.ofDays(1)), "edu", alice))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.FORBIDDEN));
        assertThatThrownBy(() -> showback.report(T0, T0, null, alice))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("to"));
    }
}
