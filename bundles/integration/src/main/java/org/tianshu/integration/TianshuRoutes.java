package org.tianshu.integration;

import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.tianshu.api.Caller;
import org.tianshu.api.audit.AuditService;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.integration.RecommendationKind;

/**
 * The routes between Tianshu's jobs. Events reach metrics without Camel ({@code bundles/metrics} listens to the bus
 * itself); here every event goes to the audit log, and the events that need an answer get one: an alarm, a
 * recommendation waiting for a human ({@link LinkDownRoute} re-routes the planes).
 */
final class TianshuRoutes extends RouteBuilder {
    /** Route ids, for tests and the shell. */
    static final String AUDIT = "events-to-audit";
    static final String SLO_ALARMS = "plane-slo-alarms";
    static final String FAILOVER = "site-unreachable-failover-recommendation";
    static final String REBALANCE = "capacity-rebalance-proposal";

    private final AuditService audit;
    private final AlarmStore alarms;
    private final RecommendationStore recommendations;

    TianshuRoutes(AuditService audit, AlarmStore alarms, RecommendationStore recommendations) {
        this.audit = audit;
        this.alarms = alarms;
        this.recommendations = recommendations;
    }

    @Override
    public void configure() {
        String events = EventComponent.SCHEME + ":";

        from(events + AUDIT).routeId(AUDIT)
                .process(x -> {
                    Event e = event(x);
                    audit.record(Caller.SYSTEM, "event." + e.type().name().toLowerCase(Locale.ROOT), e.subject(), "ok",
                            Texts.attributes(e.attributes()));
                });

        from(events + SLO_ALARMS + "?types=PLANE_SLO_VIOLATED,PLANE_SLO_RESTORED").routeId(SLO_ALARMS)
                .choice()
                    .when(header(EventComponent.TYPE).isEqualTo(EventType.PLANE_SLO_VIOLATED.name()))
                        .process(x -> alarms.raise(event(x)))
                    .otherwise()
                        .process(x -> alarms.clear(event(x), EventType.PLANE_SLO_VIOLATED.name()))
                .end();

        from(events + FAILOVER + "?types=SITE_UNREACHABLE").routeId(FAILOVER)
                .process(x -> recommendations.propose(RecommendationKind.FAILOVER, event(x)));

        // a threshold crossed downwards (attribute direction=below) needs no rebalancing
        from(events + REBALANCE + "?types=CAPACITY_THRESHOLD").routeId(REBALANCE)
                .filter(x -> !"below".equalsIgnoreCase(event(x).attributes().get("direction")))
                .process(x -> recommendations.propose(RecommendationKind.REBALANCE, event(x)));

    }

    static Event event(Exchange x) {
        return x.getMessage().getBody(Event.class);
    }
}
