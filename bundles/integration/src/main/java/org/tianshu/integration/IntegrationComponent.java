package org.tianshu.integration;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.audit.AuditService;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventBatchListener;
import org.tianshu.api.event.EventListener;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.integration.Alarm;
import org.tianshu.api.integration.DeadLetter;
import org.tianshu.api.integration.RouteService;
import org.tianshu.api.integration.RouteStatus;
import org.tianshu.api.integration.WebhookService;
import org.tianshu.api.integration.AlarmService;
import org.tianshu.api.integration.Recommendation;
import org.tianshu.api.integration.RecommendationService;
import org.tianshu.api.integration.RecommendationState;
import org.tianshu.api.plane.PathComputationService;
import org.tianshu.api.plane.PlaneAdminService;

/**
 * Camel in the runtime (PID {@code org.tianshu.integration}): one Camel context fed by the event bus, with the
 * routes of {@link TianshuRoutes}. The plane manager and the path computation are optional: with the plane manager a
 * link going down or up syncs the planes (recomputed and pushed), with only the path computation the reservations are
 * re-routed, and with neither the link is logged as not re-routed.
 */
@Component(service = {EventListener.class, AlarmService.class, RecommendationService.class, WebhookService.class,
        RouteService.class, IntegrationComponent.class},
        configurationPid = "org.tianshu.integration", immediate = true)
@Designate(ocd = IntegrationComponent.Config.class)
public class IntegrationComponent
        implements EventBatchListener, AlarmService, RecommendationService, WebhookService, RouteService {
    private static final Logger LOG = LoggerFactory.getLogger(IntegrationComponent.class);

    @ObjectClassDefinition(name = "Tianshu integration", description = "Camel routes between Tianshu's jobs")
    public @interface Config {
        @AttributeDefinition(description = "Directory of the operators' YAML route files; empty for etc/routes of the runtime", required = false)
        String routesDirectory() default "";

        @AttributeDefinition(description = "Seconds between two looks for new, changed and deleted route files", min = "1")
        int routesScanSeconds() default 5;
    }

    private final CamelRuntime camel;
    private final AlarmStore alarms;
    private final RecommendationStore recommendations;
    private final DeadLetterStore deadLetters;
    private final Webhooks webhooks;
    private final RouteFiles routeFiles;
    private final ScheduledExecutorService scanner =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "tianshu-route-files"));
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PathComputationService paths;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PlaneAdminService planes;
    /**
     * The bus, bound after activation rather than a constructor reference: the bus delivers to this component as an
     * EventListener, and each needing the other to activate made a service cycle that SCR did not always resolve (the
     * Camel routes then never heard an event).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventPublisher bus;

    @Activate
    public IntegrationComponent(@Reference(target = "(tianshu.database=main)") DataSource dataSource,
            @Reference AuditService audit, Config config) {
        EventPublisher events = this::publish; // to the bus bound now (see the field)
        alarms = new AlarmStore(dataSource, Clock.systemUTC());
        recommendations = new RecommendationStore(dataSource, events, Clock.systemUTC());
        deadLetters = new DeadLetterStore(dataSource, Clock.systemUTC());
        camel = new CamelRuntime("tianshu", events);
        webhooks = new Webhooks(camel, new WebhookOutbox(dataSource, Clock.systemUTC(), deadLetters),
                deadLetters.sender());
        try {
            camel.addRoutes(new TianshuRoutes(audit, alarms, recommendations));
            camel.addRoutes(new LinkDownRoute(new LinkDownAction(() -> paths, () -> planes)));
        } catch (RuntimeException e) {
            camel.close();
            throw e;
        }
        LOG.info("Camel context started with routes {}", camel.routes().stream().map(r -> r.getRouteId()).toList());
        if (config.routesScanSeconds() < 1) {
            camel.close();
            throw new IllegalArgumentException("org.tianshu.integration: routesScanSeconds must be 1 or more, got "
                    + config.routesScanSeconds());
        }
        Path directory = config.routesDirectory().isBlank()
                ? Path.of(System.getProperty("karaf.etc", "etc"), "routes") : Path.of(config.routesDirectory());
        routeFiles = new RouteFiles(camel, directory);
        scanner.scheduleWithFixedDelay(() -> {
            try {
                routeFiles.scan();
            } catch (RuntimeException e) {
                LOG.warn("route files in {}: scan failed", directory, e);
            }
        }, 0, config.routesScanSeconds(), TimeUnit.SECONDS);
    }

    /** What the routes and stores publish goes to the bus bound now; without one (the runtime stopping) it is dropped. */
    private void publish(Event event) {
        EventPublisher p = bus;
        if (p != null) {
            p.publish(event);
        }
    }

    @Deactivate
    void deactivate() {
        scanner.shutdownNow();
        webhooks.close();
        camel.close();
    }

    /** The Camel context of the runtime, for the route files. */
    CamelRuntime camel() {
        return camel;
    }

    /** The webhooks of the runtime. */
    Webhooks webhooks() {
        return webhooks;
    }

    @Override
    public void onEvents(List<Event> events) {
        camel.onEvents(events);
    }

    @Override
    public List<Alarm> list(boolean activeOnly, Caller caller) {
        return alarms.list(activeOnly, caller);
    }

    @Override
    public Alarm acknowledge(long id, Caller caller) {
        return alarms.acknowledge(id, caller);
    }

    @Override
    public List<Recommendation> list(RecommendationState state, Caller caller) {
        return recommendations.list(state, caller);
    }

    @Override
    public Recommendation approve(long id, String note, Caller caller) {
        return recommendations.approve(id, note, caller);
    }

    @Override
    public Recommendation reject(long id, String note, Caller caller) {
        return recommendations.reject(id, note, caller);
    }

    @Override
    public List<DeadLetter> deadLetters(Caller caller) {
        return deadLetters.deadLetters(caller);
    }

    @Override
    public boolean replay(long id, Caller caller) {
        return deadLetters.replay(id, caller);
    }

    @Override
    public List<RouteStatus> routes(Caller caller) {
        caller.checkOperator();
        Map<String, String> sources = new TreeMap<>();
        routeFiles.routes().forEach((file, ids) -> ids.forEach(id -> sources.put(id, file.toString())));
        List<RouteStatus> out = new ArrayList<>();
        for (var r : camel.routes()) {
            String id = r.getRouteId();
            String source = sources.getOrDefault(id, id.startsWith("webhook-") ? "webhook" : "built-in");
            out.add(new RouteStatus(id, source, String.valueOf(camel.status(id))));
        }
        return out;
    }

    @Override
    public Map<String, String> refusedFiles(Caller caller) {
        caller.checkOperator();
        Map<String, String> out = new TreeMap<>();
        routeFiles.problems().forEach((file, problem) -> out.put(file.toString(), problem));
        return out;
    }
}
