package org.tianshu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tianshu.scheduler.Fixtures.cloud;
import static org.tianshu.scheduler.Fixtures.host;
import static org.tianshu.scheduler.Fixtures.vm;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.scheduling.Placement;
import org.tianshu.api.scheduling.PlacementRequest;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.tenancy.DepartmentService;

class SchedulerComponentTest {
    private final List<Cloud> clouds = List.of(cloud("chengdu-os", "chengdu"));
    private final List<Host> hosts = List.of(host("chengdu-os", "cd-1", "az1", 8, 32));
    private final Fixtures.MemoryQuota quota = new Fixtures.MemoryQuota();
    private final SchedulerComponent scheduler = new SchedulerComponent(service(CloudService.class, "list", clouds),
            service(InventoryService.class, "hosts", hosts), departments(), quota, config(0));
    private final Caller health = new Caller("li", Set.of("dept-health"));

    @AfterEach
    void stop() {
        scheduler.deactivate();
    }

    @Test
    void placesFromTheInventorySnapshotAndReleasesThroughTheQuota() {
        Placement p = scheduler.place(PlacementRequest.of("health", vm(2, 8)), false, health);

        assertThat(p.outcome()).isEqualTo(Placement.Outcome.PLACED);
        assertThat(p.decision().get(0).host()).isEqualTo("cd-1");
        assertThat(quota.used("health", 1)).isEqualTo(8 * 1024);
        scheduler.release(p.reservationId(), health);
        assertThat(quota.used("health", 1)).isZero();
    }

    @Test
    void checksTheCallerAndTheDepartment() {
        Placement p = scheduler.place(PlacementRequest.of("health", vm(1, 1)), false, health);

        assertThatThrownBy(() -> scheduler.place(PlacementRequest.of("tax", vm(1, 1)), false, health))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.FORBIDDEN));
        assertThatThrownBy(() -> scheduler.release(p.reservationId(), new Caller("wang", Set.of("dept-tax"))))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.FORBIDDEN));
        assertThatThrownBy(() -> scheduler.place(PlacementRequest.of("nobody", vm(1, 1)), true, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("department"));
        assertThatThrownBy(() -> new SchedulerComponent(service(CloudService.class, "list", clouds),
                service(InventoryService.class, "hosts", hosts), departments(), quota, config(-1)))
                .hasMessageContaining("refreshSeconds");
    }

    private static <T> T service(Class<T> type, String method, Object answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            if (m.getName().equals(method)) {
                return answer;
            }
            throw new UnsupportedOperationException(m.getName() + " is not used by the scheduler");
        }));
    }

    private static DepartmentService departments() {
        return (DepartmentService) Proxy.newProxyInstance(DepartmentService.class.getClassLoader(),
                new Class<?>[] {DepartmentService.class}, (proxy, m, args) -> {
                    if (m.getName().equals("get") && "health".equals(args[0])) {
                        return new Department("health", "省卫生健康委", null);
                    }
                    if (m.getName().equals("get")) {
                        throw TianshuException.notFound("department", "department", (String) args[0]);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private static SchedulerComponent.Config config(int refreshSeconds) {
        return new SchedulerComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SchedulerComponent.Config.class;
            }

            @Override
            public int refreshSeconds() {
                return refreshSeconds;
            }
        };
    }
}
