package org.tianshu.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tianshu.integration.Eventually.await;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.integration.AlarmState;
import org.tianshu.api.integration.Recommendation;
import org.tianshu.api.integration.RecommendationKind;
import org.tianshu.api.integration.RecommendationState;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.PathRequest;
import org.tianshu.api.plane.Protection;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.RouterRole;
import org.tianshu.api.plane.Topology;
import org.tianshu.audit.AuditLog;
import org.tianshu.events.EventBus;
import org.tianshu.persistence.Database;
import org.tianshu.slicing.PathEngine;

/** The Java routes on a real Camel context, fed by the real event bus, writing to a real (H2) database. */
class RoutesTest {
    private static final Caller OPERATOR = new Caller("zhang", Set.of(Caller.OPERATOR));

    @TempDir
    Path dir;

    private Database db;
    private EventBus bus;
    private CamelRuntime camel;
    private AuditLog audit;
    private AlarmStore alarms;
    private RecommendationStore recommendations;
    private final PathEngine paths = new PathEngine();
    private final List<Event> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "", 4);
        bus = new EventBus(1000);
        camel = new CamelRuntime("test", bus);
        bus.addListener(camel);
        bus.addListener(seen::add);
        audit = new AuditLog(db.dataSource());
        alarms = new AlarmStore(db.dataSource(), Clock.systemUTC());
        recommendations = new RecommendationStore(db.dataSource(), bus, Clock.systemUTC());
        camel.addRoutes(new TianshuRoutes(audit, alarms, recommendations));
        camel.addRoutes(new LinkDownRoute(new LinkDownAction(() -> paths)));
    }

    @AfterEach
    void stop() {
        bus.close();
        camel.close();
        db.close();
    }

    @Test
    void everyEventIsAudited() {
        bus.publish(Event.now(EventType.RESOURCE_CREATED, "workload/web", "health", "c1", Map.of("state", "ACTIVE")));
        bus.publish(Event.now(EventType.CLOUD_SYNCED, "cloud/c1", null, "c1", Map.of()));
        await(() -> assertThat(audit.recent(10, Caller.SYSTEM))
                .extracting(a -> a.action() + " " + a.target() + " " + a.detail())
                .containsExactly("event.cloud_synced cloud/c1 null", "event.resource_created workload/web {state=ACTIVE}"));
    }

    @Test
    void sloViolationRaisesOneAlarmThatIsAcknowledgedAndClearedOnRestore() {
        bus.publish(Event.now(EventType.PLANE_SLO_VIOLATED, "plane/video", null, null, Map.of("latencyMs", "48")));
        bus.publish(Event.now(EventType.PLANE_SLO_VIOLATED, "plane/video", null, null, Map.of("latencyMs", "52")));
        bus.publish(Event.now(EventType.PLANE_SLO_VIOLATED, "plane/office", null, null, Map.of()));
        await(() -> assertThat(alarms.list(true, OPERATOR)).hasSize(2));
        var video = alarms.list(true, OPERATOR).stream().filter(a -> a.subject().equals("plane/video")).findFirst()
                .orElseThrow();
        assertThat(video.message()).isEqualTo("PLANE_SLO_VIOLATED plane/video {latencyMs=48}");
        assertThat(video.state()).isEqualTo(AlarmState.OPEN);

        var acked = alarms.acknowledge(video.id(), OPERATOR);
        assertThat(acked.state()).isEqualTo(AlarmState.ACKNOWLEDGED);
        assertThat(acked.acknowledgedBy()).isEqualTo("zhang");
        assertThatThrownBy(() -> alarms.acknowledge(video.id(), OPERATOR)).isInstanceOfSatisfying(
                TianshuException.class, e -> assertThat(e.kind() + " " + e.field()).isEqualTo("CONFLICT id"));
        assertThatThrownBy(() -> alarms.acknowledge(9999, OPERATOR)).isInstanceOfSatisfying(
                TianshuException.class, e -> assertThat(e.kind() + " " + e.field()).isEqualTo("NOT_FOUND id"));
        assertThatThrownBy(() -> alarms.list(true, new Caller("li", Set.of("dept-health"))))
                .isInstanceOfSatisfying(TianshuException.class,
                        e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.FORBIDDEN));

        bus.publish(Event.now(EventType.PLANE_SLO_RESTORED, "plane/video", null, null, Map.of()));
        await(() -> assertThat(alarms.list(true, OPERATOR)).extracting(a -> a.subject())
                .containsExactly("plane/office"));
        assertThat(alarms.list(false, OPERATOR)).filteredOn(a -> a.subject().equals("plane/video"))
                .extracting(a -> a.state()).containsExactly(AlarmState.CLEARED);
    }

    @Test
    void unreachableSiteGetsOneFailoverRecommendationThatOnlyRecordsTheDecision() {
        bus.publish(Event.now(EventType.SITE_UNREACHABLE, "site/chengdu-dc1", null, null, Map.of("since", "90s")));
        bus.publish(Event.now(EventType.SITE_UNREACHABLE, "site/chengdu-dc1", null, null, Map.of("since", "120s")));
        await(() -> assertThat(recommendations.list(RecommendationState.PENDING, OPERATOR)).hasSize(1));
        Recommendation r = recommendations.list(null, OPERATOR).get(0);
        assertThat(r.kind()).isEqualTo(RecommendationKind.FAILOVER);
        assertThat(r.subject()).isEqualTo("site/chengdu-dc1");

        Recommendation approved = recommendations.approve(r.id(), "dc1 power lost, confirmed by phone", OPERATOR);
        assertThat(approved.state()).isEqualTo(RecommendationState.APPROVED);
        assertThat(approved.decidedBy()).isEqualTo("zhang");
        assertThatThrownBy(() -> recommendations.reject(r.id(), null, OPERATOR)).isInstanceOfSatisfying(
                TianshuException.class, e -> assertThat(e.kind() + " " + e.field()).isEqualTo("CONFLICT id"));
        await(() -> assertThat(seen).filteredOn(e -> e.type() == EventType.RECOMMENDATION_DECIDED)
                .singleElement().satisfies(e -> assertThat(e.attributes()).containsEntry("decision", "APPROVED")
                        .containsEntry("kind", "FAILOVER").containsEntry("by", "zhang")));
        // the decision itself is audited through the route, nothing else reacts to it here
        await(() -> assertThat(audit.recent(10, Caller.SYSTEM))
                .extracting(a -> a.action()).contains("event.recommendation_decided"));
    }

    @Test
    void capacityOverThresholdProposesRebalancingButNotBelow() {
        bus.publish(Event.now(EventType.CAPACITY_THRESHOLD, "cloud/c2", null, "c2", Map.of("direction", "below")));
        bus.publish(Event.now(EventType.CAPACITY_THRESHOLD, "cloud/c1", null, "c1", Map.of("cpu", "0.91")));
        await(() -> assertThat(recommendations.list(null, OPERATOR)).extracting(
                x -> x.kind() + " " + x.subject()).containsExactly("REBALANCE cloud/c1"));
        Recommendation r = recommendations.list(null, OPERATOR).get(0);
        assertThat(recommendations.reject(r.id(), "planned migration next week", OPERATOR).state())
                .isEqualTo(RecommendationState.REJECTED);
        bus.publish(Event.now(EventType.CAPACITY_THRESHOLD, "cloud/c1", null, "c1", Map.of("cpu", "0.95")));
        await(() -> assertThat(recommendations.list(RecommendationState.PENDING, OPERATOR)).hasSize(1));
    }

    @Test
    void linkDownReroutesTheAffectedReservationsAndPublishesEachOutcome() {
        // a square r1-r2-r4 / r1-r3-r4: the short side fails, one reservation moves, the other no longer fits
        paths.load(new Topology(List.of(router("r1"), router("r2"), router("r3"), router("r4")), List.of(
                link("l12", "r1", "r2", 1000, 10), link("l24", "r2", "r4", 1000, 10),
                link("l13", "r1", "r3", 500, 20), link("l34", "r3", "r4", 500, 20))));
        paths.reserve(new PathRequest("video/a", "r1", "r4", 400, PathRequest.NO_LATENCY_BOUND, Protection.NONE));
        paths.reserve(new PathRequest("office/a", "r1", "r4", 300, PathRequest.NO_LATENCY_BOUND, Protection.NONE));
        paths.reserve(new PathRequest("other/a", "r1", "r3", 10, PathRequest.NO_LATENCY_BOUND, Protection.NONE));

        bus.publish(Event.now(EventType.LINK_DOWN, "link/l24", null, null, Map.of()));

        await(() -> assertThat(seen).filteredOn(e -> e.type() == EventType.PLANE_REROUTED
                        || e.type() == EventType.PLANE_REROUTE_REFUSED)
                .extracting(e -> e.type() + " " + e.subject())
                .containsExactly("PLANE_REROUTED reservation/video/a", "PLANE_REROUTE_REFUSED reservation/office/a"));
        Event moved = seen.stream().filter(e -> e.type() == EventType.PLANE_REROUTED).findFirst().orElseThrow();
        assertThat(moved.attributes()).containsEntry("link", "l24").containsEntry("before", "l12,l24")
                .containsEntry("after", "l13,l34");
        Event refused = seen.stream().filter(e -> e.type() == EventType.PLANE_REROUTE_REFUSED).findFirst().orElseThrow();
        assertThat(refused.attributes().get("refusal")).contains("bandwidth");
        assertThat(paths.reservation("office/a")).isEmpty();
        assertThat(paths.reservedMbps("l13")).isEqualTo(410);
    }

    private static Router router(String id) {
        return new Router(id, RouterRole.CORE, "chengdu", "fc00:" + id.substring(1) + "::/48");
    }

    private static Link link(String id, String a, String b, long mbps, long micros) {
        return new Link(id, a, b, mbps, micros, Set.of(), true);
    }
}
