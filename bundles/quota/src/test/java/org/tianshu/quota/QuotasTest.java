package org.tianshu.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.tenancy.Quota;
import org.tianshu.api.tenancy.QuotaResource;
import org.tianshu.persistence.Database;

class QuotasTest {
    @TempDir
    Path dir;
    Database db;
    QuotaFixture f;

    @BeforeEach
    void setUp() {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000", "sa", "", 20);
        f = new QuotaFixture(db);
    }

    @AfterEach
    void tearDown() {
        f.close();
        db.close();
    }

    @Test
    void fiftyConcurrentReservationsAgainstTenGiveExactlyTen() throws Exception {
        f.quotas.set("health", "*", QuotaResource.INSTANCES, 10, Caller.SYSTEM);
        assertThat(ConcurrentReservations.run(f.quotas, 50)).isEqualTo(10);
        assertThat(f.quotas.list("health", Caller.SYSTEM)).singleElement().extracting(Quota::used).isEqualTo(10L);
    }

    @Test
    void perCloudAndAllCloudLimitsBothApplyAndNameTheResource() {
        f.quotas.set("health", "*", QuotaResource.CPU, 4000, Caller.SYSTEM);
        f.quotas.set("health", "chengdu", QuotaResource.MEMORY, 4096, Caller.SYSTEM);
        f.quotas.reserve("r1", "health", "chengdu", new Resources(2000, 2048, 0, 0), 1);
        assertThatThrownBy(() -> f.quotas.reserve("r2", "health", "chengdu", new Resources(1000, 4096, 0, 0), 1))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
                    assertThat(e.field()).isEqualTo("memory");
                    assertThat(e.getMessage()).contains("in cloud 'chengdu'");
                });
        assertThatThrownBy(() -> f.quotas.reserve("r3", "health", "chengdu", new Resources(3000, 0, 0, 0), 1))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.field()).isEqualTo("cpu");
                    assertThat(e.getMessage()).contains("across all clouds");
                });
        // the failed reservations left nothing behind
        assertThat(f.quotas.list("health", Caller.SYSTEM)).extracting(q -> q.resource() + "=" + q.used())
                .containsExactlyInAnyOrder("CPU=2000", "MEMORY=2048");
    }

    @Test
    void nearAndOverLimitArePublishedOncePerCrossingAfterTheReservation() {
        List<Event> events = new CopyOnWriteArrayList<>();
        f.quotas.setEventPublisher(events::add);
        f.quotas.set("health", "*", QuotaResource.INSTANCES, 20, Caller.SYSTEM);
        f.quotas.set("health", "chengdu", QuotaResource.CPU, 10000, Caller.SYSTEM);
        f.quotas.reserve("r1", "health", "chengdu", new Resources(8000, 0, 0, 0), 8);
        assertThat(events).isEmpty();
        f.quotas.reserve("r2", "health", "chengdu", new Resources(1000, 0, 0, 0), 1);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.QUOTA_NEAR_LIMIT);
            assertThat(e.subject()).isEqualTo("quota/health/cpu/chengdu");
            assertThat(e.departmentId()).isEqualTo("health");
            assertThat(e.cloudId()).isEqualTo("chengdu");
            assertThat(e.attributes()).containsEntry("resource", "cpu").containsEntry("used", "9000")
                    .containsEntry("limit", "10000").containsEntry("requested", "1000");
        });
        events.clear();
        // already above the share: no new near-limit event; the all-clouds instances quota is now crossed
        f.quotas.reserve("r3", "health", "chengdu", Resources.ZERO, 9);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.QUOTA_NEAR_LIMIT);
            assertThat(e.subject()).isEqualTo("quota/health/instances");
            assertThat(e.cloudId()).isNull();
        });
        events.clear();
        for (String r : List.of("r4", "r5")) {
            assertThatThrownBy(() -> f.quotas.reserve(r, "health", "chengdu", new Resources(2000, 0, 0, 0), 1))
                    .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("cpu"));
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.QUOTA_OVER_LIMIT);
            assertThat(e.subject()).isEqualTo("quota/health/cpu/chengdu");
            assertThat(e.attributes()).containsEntry("used", "9000").containsEntry("limit", "10000")
                    .containsEntry("requested", "2000");
        });
        events.clear();
        // usage falls below the share: the next crossings publish again
        f.quotas.release("r1");
        f.quotas.reserve("r6", "health", "chengdu", new Resources(8000, 0, 0, 0), 8);
        assertThat(events).extracting(e -> e.type() + " " + e.subject()).containsExactlyInAnyOrder(
                "QUOTA_NEAR_LIMIT quota/health/cpu/chengdu", "QUOTA_NEAR_LIMIT quota/health/instances");
        assertThatThrownBy(() -> f.quotas.reserve("r7", "health", "chengdu", new Resources(2000, 0, 0, 0), 1))
                .isInstanceOf(TianshuException.class);
        assertThat(events).filteredOn(e -> e.type() == EventType.QUOTA_OVER_LIMIT).hasSize(1);
    }

    @Test
    void aChangedNearLimitShareAppliesToTheNextReservationAndABadOneIsRefused() {
        List<Event> events = new CopyOnWriteArrayList<>();
        f.quotas.setEventPublisher(events::add);
        f.quotas.set("health", "chengdu", QuotaResource.CPU, 10000, Caller.SYSTEM);
        f.quotas.reserve("r1", "health", "chengdu", new Resources(5000, 0, 0, 0), 0);
        assertThat(events).isEmpty();
        f.quotas.modified(share(0.6));
        f.quotas.reserve("r2", "health", "chengdu", new Resources(1000, 0, 0, 0), 0);
        assertThat(events).extracting(e -> e.type() + " " + e.attributes().get("used"))
                .containsExactly("QUOTA_NEAR_LIMIT 6000");
        assertThatThrownBy(() -> f.quotas.modified(share(1.5))).hasMessageContaining("nearLimitShare");
    }

    static Quotas.Config share(double share) {
        return new Quotas.Config() {
            @Override
            public double nearLimitShare() {
                return share;
            }

            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return Quotas.Config.class;
            }
        };
    }

    @Test
    void aFailingPublisherNeverBreaksAReservation() {
        f.quotas.setEventPublisher(e -> {
            throw new IllegalStateException("queue gone");
        });
        f.quotas.set("health", "*", QuotaResource.INSTANCES, 1, Caller.SYSTEM);
        f.quotas.reserve("r1", "health", "chengdu", Resources.ZERO, 1);
        assertThatThrownBy(() -> f.quotas.reserve("r2", "health", "chengdu", Resources.ZERO, 1))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("instances"));
        assertThat(f.quotas.list("health", Caller.SYSTEM).get(0).used()).isEqualTo(1);
    }

    @Test
    void reserveAndReleaseAreIdempotent() {
        f.quotas.set("health", "*", QuotaResource.INSTANCES, 5, Caller.SYSTEM);
        f.quotas.reserve("r1", "health", "chengdu", Resources.ZERO, 1);
        f.quotas.reserve("r1", "health", "chengdu", Resources.ZERO, 1);
        assertThat(f.quotas.list("health", Caller.SYSTEM).get(0).used()).isEqualTo(1);
        f.quotas.release("r1");
        f.quotas.release("r1");
        assertThat(f.quotas.list("health", Caller.SYSTEM).get(0).used()).isZero();
    }

    @Test
    void limitBelowUseIsRefusedAndNewLimitsCountExistingReservations() {
        f.quotas.reserve("r1", "health", "chengdu", new Resources(3000, 0, 0, 0), 1);
        assertThat(f.quotas.set("health", "*", QuotaResource.CPU, 5000, Caller.SYSTEM).used()).isEqualTo(3000);
        assertThatThrownBy(() -> f.quotas.set("health", "*", QuotaResource.CPU, 2000, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("limit"));
        assertThatThrownBy(() -> f.quotas.set("health", "*", QuotaResource.CPU, -1, Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("limit"));
    }

    @Test
    void perCloudLimitsAreMirroredIntoTheCloud() {
        f.quotas.set("health", "chengdu", QuotaResource.CPU, 8000, Caller.SYSTEM);
        f.quotas.set("health", "chengdu", QuotaResource.INSTANCES, 20, Caller.SYSTEM);
        assertThat(f.driver.world("http://chengdu:1").quotas.get("health"))
                .containsEntry(QuotaResource.CPU, 8000L).containsEntry(QuotaResource.INSTANCES, 20L);
        f.quotas.remove("health", "chengdu", QuotaResource.CPU, Caller.SYSTEM);
        assertThat(f.driver.world("http://chengdu:1").quotas.get("health")).containsOnlyKeys(QuotaResource.INSTANCES);
    }

    @Test
    void cloudRefusingTheQuotaRollsBackTheLimit() {
        f.driver.world("http://chengdu:1").reachable = false;
        assertThatThrownBy(() -> f.quotas.set("health", "chengdu", QuotaResource.CPU, 8000, Caller.SYSTEM))
                .isInstanceOf(TianshuException.class);
        assertThat(f.quotas.list("health", Caller.SYSTEM)).isEmpty();
    }

    @Test
    void departmentUsersSeeOnlyTheirOwnAndCannotSetLimits() {
        f.departments.create(new Department("finance", "省财政厅", null), Caller.SYSTEM);
        Caller alice = new Caller("alice", Set.of("dept-health"));
        assertThat(f.departments.list(alice)).extracting(Department::id).containsExactly("health");
        assertThat(f.quotas.list("health", alice)).isEmpty();
        assertThatThrownBy(() -> f.quotas.list("finance", alice)).isInstanceOfSatisfying(TianshuException.class,
                e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.FORBIDDEN));
        assertThatThrownBy(() -> f.quotas.set("health", "*", QuotaResource.CPU, 1, alice))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.FORBIDDEN));
    }

    @Test
    void departmentWithReservationsCannotBeDeleted() {
        f.quotas.reserve("r1", "health", "chengdu", Resources.ZERO, 1);
        assertThatThrownBy(() -> f.departments.delete("health", Caller.SYSTEM)).isInstanceOfSatisfying(TianshuException.class,
                e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT));
        f.quotas.release("r1");
        f.departments.delete("health", Caller.SYSTEM);
        assertThatThrownBy(() -> f.departments.get("health")).isInstanceOfSatisfying(TianshuException.class,
                e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND));
    }
}
