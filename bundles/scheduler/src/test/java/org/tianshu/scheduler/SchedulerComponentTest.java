package org.tianshu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tianshu.scheduler.Fixtures.cloud;
import static org.tianshu.scheduler.Fixtures.host;
import static org.tianshu.scheduler.Fixtures.vm;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
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
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.scheduling.CloudVerdict;
import org.tianshu.api.scheduling.Constraint;
import org.tianshu.api.scheduling.Placement;
import org.tianshu.api.scheduling.Placement.Outcome;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.scheduling.PlacementRequest;
import org.tianshu.api.scheduling.Preferences;
import org.tianshu.api.scheduling.Reservation;
import org.tianshu.api.scheduling.SchedulingPolicy;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.tenancy.Quota;
import org.tianshu.api.tenancy.QuotaResource;
import org.tianshu.persistence.Database;
import org.tianshu.quota.Departments;
import org.tianshu.quota.Quotas;

/** The scheduler on a real database with the real departments and quotas; the inventory is a fixed list. */
class SchedulerComponentTest {
    private static final Caller OPS = new Caller("ops", Set.of(Caller.OPERATOR));
    private final List<Cloud> clouds = List.of(cloud("chengdu-os", "chengdu"), cloud("mianyang-os", "mianyang"));
    private final List<Host> hosts = List.of(host("chengdu-os", "cd-1", "az1", 8, 32), host("chengdu-os", "cd-2", "az2", 8, 32),
            host("mianyang-os", "my-1", "az1", 8, 32));
    private final Caller health = new Caller("li", Set.of("dept-health"));
    private final List<SchedulerComponent> started = new ArrayList<>();

    @TempDir
    Path dir;
    Database db;
    Departments departments;
    Quotas quotas;
    SchedulerComponent scheduler;

    @BeforeEach
    void setUp() {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000", "sa", "", 10);
        departments = new Departments(db.dataSource());
        departments.create(new Department("health", "省卫生健康委", null), Caller.SYSTEM);
        quotas = new Quotas(db.dataSource(), departments, service(CloudService.class, "list", clouds));
        quotas.set("health", "*", QuotaResource.MEMORY, 1024 * 1024, Caller.SYSTEM);
        scheduler = start();
    }

    @AfterEach
    void stop() {
        started.forEach(SchedulerComponent::deactivate);
        db.close();
    }

    /** A scheduler on the same database, as after a restart. */
    private SchedulerComponent start() {
        SchedulerComponent s = new SchedulerComponent(db.dataSource(), service(CloudService.class, "list", clouds),
                service(InventoryService.class, "hosts", hosts), departments, quotas, 0);
        started.add(s);
        return s;
    }

    private long used(QuotaResource r) {
        return quotas.list("health", Caller.SYSTEM).stream().filter(q -> q.resource() == r).mapToLong(Quota::used).sum();
    }

    private static PlacementRequest request(Resources demand, PlacementConstraints c, Preferences p) {
        return new PlacementRequest("health", demand, 1, c, p, false);
    }

    private static PlacementConstraints anti(String group) {
        return new PlacementConstraints(Set.of(), 1, false, null, Set.of(), null, group, false, null);
    }

    @Test
    void placesFromTheInventorySnapshotAndReleasesThroughTheQuota() {
        Placement p = scheduler.place(PlacementRequest.of("health", vm(2, 8)), false, health);

        assertThat(p.outcome()).isEqualTo(Outcome.PLACED);
        assertThat(used(QuotaResource.MEMORY)).isEqualTo(8 * 1024);
        assertThat(scheduler.reservations(null, health)).extracting(Reservation::id).containsExactly(p.reservationId());
        scheduler.release(p.reservationId(), health);
        assertThat(used(QuotaResource.MEMORY)).isZero();
        assertThat(scheduler.reservations(null, health)).isEmpty();
    }

    @Test
    void aQuotaRefusalRollsBackWhatTheQuotaHadBegunToCount() {
        quotas.set("health", "*", QuotaResource.CPU, 100_000, Caller.SYSTEM);
        quotas.set("health", "*", QuotaResource.MEMORY, 1024, Caller.SYSTEM);

        Placement p = scheduler.place(PlacementRequest.of("health", vm(2, 8)), false, health);

        assertThat(p.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(p.explanation().refusedBy()).isEqualTo(Constraint.QUOTA);
        // cpu is counted before memory is found short: the refusal must not leave it counted
        assertThat(used(QuotaResource.CPU)).isZero();
        assertThat(scheduler.reservations(null, health)).isEmpty();
    }

    @Test
    void reservationsCapacityAndGroupsSurviveARestart() {
        Placement a = scheduler.place(request(vm(8, 16), anti("web"), null), false, health);
        Placement held = scheduler.hold(request(vm(8, 16), PlacementConstraints.NONE, null), "req-1", health);
        assertThat(held.outcome()).isEqualTo(Outcome.PLACED);

        SchedulerComponent restarted = start();
        assertThat(restarted.reservations("health", health)).isEqualTo(scheduler.reservations("health", health));
        assertThat(restarted.reservations("health", health)).extracting(Reservation::hold).containsExactly(false, true);
        // two of the three hosts are full: only one more 8-core VM fits, and not beside the other "web" member
        Placement b = restarted.place(request(vm(8, 16), anti("web"), null), true, health);
        assertThat(b.outcome()).isEqualTo(Outcome.FEASIBLE);
        assertThat(b.decision().get(0).host()).isNotIn(a.decision().get(0).host(), held.decision().get(0).host());
        restarted.release(a.reservationId(), health);
        restarted.release("req-1", Caller.SYSTEM);
        assertThat(used(QuotaResource.MEMORY)).isZero();
        assertThat(start().reservations(null, Caller.SYSTEM)).isEmpty();
    }

    private static PlacementConstraints only(String cloud) {
        return new PlacementConstraints(Set.of(cloud), 1, false, null, Set.of(), null, null, false, null);
    }

    @Test
    void holdElsewhereReplacesTheHoldOnlyWhenTheNewPlacementSucceeds() {
        Placement held = scheduler.hold(request(vm(8, 16), only("chengdu-os"), null), "req-1", health);
        assertThat(held.decision().get(0).cloudId()).isEqualTo("chengdu-os");
        String heldHost = "chengdu-os/" + held.decision().get(0).host();

        // refused (mianyang's one host cannot take 9 cores): the old hold stays, in memory and in the database
        Placement refused = scheduler.holdElsewhere(request(vm(9, 16), only("mianyang-os"), null), "req-1", health);
        assertThat(refused.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(scheduler.reservations("health", health)).singleElement()
                .satisfies(r -> assertThat(r.hosts()).containsOnlyKeys(heldHost));
        assertThat(start().reservations("health", health)).isEqualTo(scheduler.reservations("health", health));

        Placement moved = scheduler.holdElsewhere(request(vm(8, 16), only("mianyang-os"), null), "req-1", health);
        assertThat(moved.outcome()).isEqualTo(Outcome.PLACED);
        assertThat(scheduler.reservations("health", health)).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("req-1");
            assertThat(r.hold()).isTrue();
            assertThat(r.hosts()).containsOnlyKeys("mianyang-os/my-1");
        });
        assertThat(start().reservations("health", health)).isEqualTo(scheduler.reservations("health", health));
        // the hold's quota is the caller's: holds reserve none
        assertThat(used(QuotaResource.MEMORY)).isZero();
        // the old host's capacity is free again: both chengdu hosts take a full 8-core VM
        assertThat(scheduler.place(request(vm(8, 16), only("chengdu-os"), null), false, health).outcome()).isEqualTo(Outcome.PLACED);
        assertThat(scheduler.place(request(vm(8, 16), only("chengdu-os"), null), false, health).outcome()).isEqualTo(Outcome.PLACED);

        assertThatThrownBy(() -> scheduler.holdElsewhere(request(vm(1, 1), PlacementConstraints.NONE, null), "nothing", health))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
                    assertThat(e.field()).isEqualTo("holdId");
                });
    }

    @Test
    void thePolicyNarrowsTheCloudsAndGivesItsWeightsAndIsKept() {
        SchedulingPolicy set = scheduler.setPolicy(new SchedulingPolicy("health", Set.of("chengdu-os"), Preferences.SPREAD), OPS);

        Placement first = scheduler.place(request(vm(1, 16), PlacementConstraints.NONE, null), false, health);
        Placement other = scheduler.place(request(vm(1, 20), PlacementConstraints.NONE, Preferences.PACK), false, health);
        Placement second = scheduler.place(request(vm(1, 1), PlacementConstraints.NONE, null), false, health);
        assertThat(first.decision().get(0).cloudId()).isEqualTo("chengdu-os");
        assertThat(other.decision().get(0).host()).isNotEqualTo(first.decision().get(0).host());
        // spread, the policy's weights: the second goes to the less loaded host in use (pack would take the fuller one)
        assertThat(second.decision().get(0).host()).isEqualTo(first.decision().get(0).host());
        assertThat(first.explanation().clouds()).filteredOn(v -> v.cloudId().equals("mianyang-os"))
                .extracting(CloudVerdict::rejectedBy).containsExactly(Constraint.ALLOWED_CLOUDS);
        // a request's own weights win
        Placement packed = scheduler.place(request(vm(1, 1), PlacementConstraints.NONE, Preferences.PACK), true, health);
        assertThat(packed.decision().get(0).host()).isEqualTo(other.decision().get(0).host());
        assertField(() -> scheduler.place(request(vm(1, 1), new PlacementConstraints(Set.of("mianyang-os"), 1, false, null,
                Set.of(), null, null, false, null), null), true, health), "constraints.allowedClouds");

        assertThat(start().policy("health", health)).isEqualTo(set);
        assertThatThrownBy(() -> scheduler.setPolicy(SchedulingPolicy.none("health"), health))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.FORBIDDEN));
        assertField(() -> scheduler.setPolicy(new SchedulingPolicy("health", Set.of("lhasa-os"), null), OPS), "allowedClouds");
        assertField(() -> scheduler.setPolicy(new SchedulingPolicy("health", Set.of(), new Preferences(1, -1, 0, 0, 0)), OPS),
                "preferences.spread");
        assertField(() -> scheduler.setPolicy(new SchedulingPolicy("nobody", Set.of(), null), OPS), "department");
        assertThat(scheduler.policy("health", health)).isEqualTo(set);
    }

    @Test
    void checksTheCallerAndTheDepartment() {
        Placement p = scheduler.place(PlacementRequest.of("health", vm(1, 1)), false, health);

        assertThatThrownBy(() -> scheduler.place(PlacementRequest.of("tax", vm(1, 1)), false, health))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.FORBIDDEN));
        assertThatThrownBy(() -> scheduler.release(p.reservationId(), new Caller("wang", Set.of("dept-tax"))))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.FORBIDDEN));
        assertThat(scheduler.reservations(null, new Caller("wang", Set.of("dept-tax")))).isEmpty();
        assertField(() -> scheduler.place(PlacementRequest.of("nobody", vm(1, 1)), true, Caller.SYSTEM), "department");
        assertThatThrownBy(() -> new SchedulerComponent(db.dataSource(), service(CloudService.class, "list", clouds),
                service(InventoryService.class, "hosts", hosts), departments, quotas, -1))
                .hasMessageContaining("refreshSeconds");
    }

    private static void assertField(Runnable r, String field) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    private static <T> T service(Class<T> type, String method, Object answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            if (m.getName().equals(method)) {
                return answer;
            }
            throw new UnsupportedOperationException(m.getName() + " is not used by the scheduler");
        }));
    }

    @Test
    void placementDecisionsAreSummedIntoPointsPerOutcomeCloudAndDepartment() {
        List<MetricPoint> recorded = new ArrayList<>();
        scheduler.recordPlacements();
        assertThat(recorded).isEmpty();
        scheduler.place(request(new Resources(1000, 1024, 0, 0), PlacementConstraints.NONE, Preferences.PACK), false, health);
        scheduler.recordPlacements();
        assertThat(recorded).as("nothing is summed while no recorder is there").isEmpty();

        scheduler.setRecorder(recorded::addAll);
        PlacementConstraints inChengdu = new PlacementConstraints(Set.of("chengdu-os"), 1, false, null, Set.of(), null, null, false, null);
        scheduler.place(request(new Resources(1000, 1024, 0, 0), inChengdu, Preferences.PACK), false, health);
        scheduler.place(request(new Resources(1000, 1024, 0, 0), inChengdu, Preferences.PACK), false, health);
        scheduler.place(new PlacementRequest("health", new Resources(1000, 1024, 0, 0), 3, inChengdu, Preferences.PACK, false), true, health);
        scheduler.place(request(new Resources(64_000, 1024, 0, 0), PlacementConstraints.NONE, Preferences.PACK), false, health);
        scheduler.recordPlacements();

        assertThat(recorded).hasSize(3).allMatch(p -> p.measurement().equals("placement") && "health".equals(p.tags().get("department")));
        MetricPoint placed = point(recorded, "placed");
        assertThat(placed.tags()).containsEntry("cloud", "chengdu-os").containsEntry("kind", "openstack");
        assertThat(placed.fields()).containsEntry("count", 2L).containsEntry("members", 2L);
        assertThat((Double) placed.fields().get("latency_us_max")).isGreaterThanOrEqualTo((Double) placed.fields().get("latency_us")).isPositive();
        assertThat(point(recorded, "dry-run").fields()).containsEntry("count", 1L).containsEntry("members", 3L);
        MetricPoint refused = point(recorded, "refused");
        assertThat(refused.tags()).doesNotContainKeys("cloud", "kind");
        assertThat(refused.fields()).containsEntry("count", 1L).containsEntry("members", 0L);

        recorded.clear();
        scheduler.recordPlacements();
        assertThat(recorded).as("each decision is recorded once").isEmpty();
    }

    private static MetricPoint point(List<MetricPoint> points, String outcome) {
        return points.stream().filter(p -> outcome.equals(p.tags().get("outcome"))).findFirst().orElseThrow(() -> new AssertionError(outcome + " in " + points));
    }
}
