package org.tianshu.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.integration.RecommendationKind;
import org.tianshu.integration.AlarmStore;
import org.tianshu.integration.DeadLetterStore;
import org.tianshu.integration.RecommendationStore;
import org.tianshu.persistence.Database;
import org.tianshu.testing.TestPlatform;

/**
 * {@code /alarms}, {@code /recommendations} and {@code /dead-letters} over HTTP on the real stores of
 * {@code bundles/integration} (H2), with a real HTTP server (the JDK's) as the webhook receiver of replays.
 */
class IntegrationResourceTest {
    private static final Map<String, String> PASSWORDS = Map.of("ops", "ops-pw", "alice", "alice-pw");
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Event> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(500);
    private final List<String> received = new CopyOnWriteArrayList<>();
    private TestPlatform platform;
    private Database db;
    private AlarmStore alarms;
    private RecommendationStore recommendations;
    private DeadLetterStore deadLetters;
    private HttpServer receiver;
    private Server server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        platform = new TestPlatform();
        db = Database.open("jdbc:h2:mem:rest-integration-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "", 5);
        alarms = new AlarmStore(db.dataSource(), Clock.systemUTC());
        recommendations = new RecommendationStore(db.dataSource(), published::add, Clock.systemUTC());
        deadLetters = new DeadLetterStore(db.dataSource(), Clock.systemUTC());
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", x -> {
            received.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(status.get(), -1);
            x.close();
        });
        receiver.start();
        start(Services.of(platform.clouds(), platform.cloudAdmin(), platform.inventory(), platform.departments(),
                platform.quotas(), platform.provisioning(), platform.audit(), null, null, null, null, null, null, null, null, null,
                alarms, recommendations, deadLetters));
    }

    private void start(Services services) throws Exception {
        if (server != null) {
            server.stop();
        }
        server = new Server(0);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new ApiServlet(services, TestRealm.authenticator(),
                new Settings(TestRealm.NAME, 4096, 5))), "/api/v1/*");
        server.setHandler(context);
        server.start();
        base = "http://localhost:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        receiver.stop(0);
        db.close();
        platform.close();
    }

    private HttpResponse<String> call(String user, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + PASSWORDS.get(user)).getBytes(StandardCharsets.UTF_8)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> r, int expected) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        return json.readTree(r.body());
    }

    @Test
    void alarmsAreListedByStateAndAcknowledgedOnce() throws Exception {
        long video = alarms.raise(Event.now(EventType.PLANE_SLO_VIOLATED, "plane/video", "health", null,
                Map.of("latencyMs", "48"))).id();
        alarms.raise(Event.now(EventType.PLANE_SLO_VIOLATED, "plane/egov", null, null, Map.of()));
        alarms.clear(Event.now(EventType.PLANE_SLO_RESTORED, "plane/egov", null, null, Map.of()), "PLANE_SLO_VIOLATED");

        assertThat(body(call("ops", "GET", "/api/v1/alarms", null), 200).findValuesAsText("subject"))
                .containsExactly("plane/egov", "plane/video");
        assertThat(body(call("ops", "GET", "/api/v1/alarms?state=open", null), 200).findValuesAsText("subject"))
                .containsExactly("plane/video");
        assertThat(body(call("ops", "GET", "/api/v1/alarms?state=CLEARED", null), 200).findValuesAsText("subject"))
                .containsExactly("plane/egov");

        JsonNode acked = body(call("ops", "POST", "/api/v1/alarms/" + video + "/ack", null), 200);
        assertThat(acked.get("state").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(acked.get("acknowledgedBy").asText()).isEqualTo("ops");
        assertThat(body(call("ops", "GET", "/api/v1/alarms?state=ACKNOWLEDGED", null), 200).findValuesAsText("id"))
                .containsExactly(Long.toString(video));
        assertThat(body(call("ops", "GET", "/api/v1/alarms?state=OPEN", null), 200)).isEmpty();
        assertThat(body(call("ops", "POST", "/api/v1/alarms/" + video + "/ack", null), 409).get("field").asText())
                .isEqualTo("id");
        assertThat(platform.audit().recent(5, org.tianshu.api.Caller.SYSTEM))
                .extracting(a -> a.action() + " " + a.target() + " " + a.outcome())
                .contains("alarm.acknowledge alarm/" + video + " ok");
    }

    @Test
    void badInputAndOtherCallersAreRefusedNamingTheField() throws Exception {
        assertThat(body(call("ops", "GET", "/api/v1/alarms?state=burning", null), 400).get("field").asText())
                .isEqualTo("state");
        assertThat(body(call("ops", "GET", "/api/v1/recommendations?state=maybe", null), 400).get("field").asText())
                .isEqualTo("state");
        assertThat(body(call("ops", "POST", "/api/v1/alarms/x1/ack", null), 400).get("field").asText()).isEqualTo("id");
        assertThat(body(call("ops", "POST", "/api/v1/alarms/99/ack", null), 404).get("field").asText()).isEqualTo("id");
        assertThat(body(call("ops", "POST", "/api/v1/recommendations/99/approve", null), 404).get("field").asText())
                .isEqualTo("id");
        assertThat(body(call("ops", "POST", "/api/v1/dead-letters/99/replay", null), 404).get("field").asText())
                .isEqualTo("id");
        assertThat(call("alice", "GET", "/api/v1/alarms", null).statusCode()).isEqualTo(403);
        assertThat(call("alice", "GET", "/api/v1/recommendations", null).statusCode()).isEqualTo(403);
        assertThat(call("alice", "GET", "/api/v1/dead-letters", null).statusCode()).isEqualTo(403);
        long id = recommendations.propose(RecommendationKind.FAILOVER,
                Event.now(EventType.SITE_UNREACHABLE, "site/dc1", null, null, Map.of())).id();
        assertThat(call("alice", "POST", "/api/v1/recommendations/" + id + "/approve", null).statusCode()).isEqualTo(403);
        assertThat(body(call("ops", "POST", "/api/v1/recommendations/" + id + "/approve", "{\"colour\": \"red\"}"), 400)
                .get("field").asText()).isEqualTo("colour");
        assertThat(recommendations.list(null, org.tianshu.api.Caller.SYSTEM)).singleElement()
                .satisfies(r -> assertThat(r.state().name()).isEqualTo("PENDING"));
        assertThat(published).isEmpty();
    }

    @Test
    void aDecisionIsOnlyRecordedAndPublished() throws Exception {
        long failover = recommendations.propose(RecommendationKind.FAILOVER,
                Event.now(EventType.SITE_UNREACHABLE, "site/chengdu-dc1", null, null, Map.of())).id();
        long rebalance = recommendations.propose(RecommendationKind.REBALANCE,
                Event.now(EventType.CAPACITY_THRESHOLD, "cloud/chengdu-os", null, "chengdu-os", Map.of())).id();
        assertThat(body(call("ops", "GET", "/api/v1/recommendations?state=PENDING", null), 200).findValuesAsText("kind"))
                .containsExactly("REBALANCE", "FAILOVER");

        JsonNode approved = body(call("ops", "POST", "/api/v1/recommendations/" + failover + "/approve",
                "{\"note\": \"dc1 flooded, confirmed by phone\"}"), 200);
        assertThat(approved.get("state").asText()).isEqualTo("APPROVED");
        assertThat(approved.get("note").asText()).isEqualTo("dc1 flooded, confirmed by phone");
        assertThat(approved.get("decidedBy").asText()).isEqualTo("ops");
        JsonNode rejected = body(call("ops", "POST", "/api/v1/recommendations/" + rebalance + "/reject", null), 200);
        assertThat(rejected.get("state").asText()).isEqualTo("REJECTED");
        assertThat(rejected.get("note").isNull()).isTrue();
        assertThat(body(call("ops", "POST", "/api/v1/recommendations/" + failover + "/reject", null), 409)
                .get("field").asText()).isEqualTo("id");

        // the decisions are events for whoever acts on them; nothing else happened
        assertThat(published).extracting(e -> e.type() + " " + e.subject() + " " + e.attributes().get("decision"))
                .containsExactly("RECOMMENDATION_DECIDED site/chengdu-dc1 APPROVED",
                        "RECOMMENDATION_DECIDED cloud/chengdu-os REJECTED");
        assertThat(body(call("ops", "GET", "/api/v1/recommendations?state=PENDING", null), 200)).isEmpty();
        assertThat(body(call("ops", "GET", "/api/v1/recommendations", null), 200)).hasSize(2);
    }

    @Test
    void aDeadLetterIsListedAndReplayedToTheRealReceiver() throws Exception {
        URI hook = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        deadLetters.store("ticketing", hook, "SITE_UNREACHABLE", "site/dc1", "{\"subject\":\"site/dc1\"}", 6, "HTTP 500");
        JsonNode list = body(call("ops", "GET", "/api/v1/dead-letters", null), 200);
        assertThat(list).hasSize(1);
        long id = list.get(0).get("id").asLong();
        assertThat(list.get(0).get("lastError").asText()).isEqualTo("HTTP 500");

        JsonNode failed = body(call("ops", "POST", "/api/v1/dead-letters/" + id + "/replay", null), 200);
        assertThat(failed.get("delivered").asBoolean()).isFalse();
        assertThat(body(call("ops", "GET", "/api/v1/dead-letters", null), 200).get(0).get("attempts").asInt())
                .isEqualTo(7);

        status.set(200);
        assertThat(body(call("ops", "POST", "/api/v1/dead-letters/" + id + "/replay", null), 200).get("delivered")
                .asBoolean()).isTrue();
        assertThat(received).containsExactly("{\"subject\":\"site/dc1\"}", "{\"subject\":\"site/dc1\"}");
        assertThat(body(call("ops", "GET", "/api/v1/dead-letters", null), 200)).isEmpty();
    }

    @Test
    void withoutTheIntegrationFeatureTheRoutesAnswer409NamingIt() throws Exception {
        start(Services.of(platform.clouds(), platform.cloudAdmin(), platform.inventory(), platform.departments(),
                platform.quotas(), platform.provisioning(), platform.audit()));
        for (String path : List.of("/api/v1/alarms", "/api/v1/recommendations", "/api/v1/dead-letters")) {
            assertThat(body(call("ops", "GET", path, null), 409).get("detail").asText()).contains("tianshu-integration");
        }
        assertThat(call("ops", "POST", "/api/v1/dead-letters/1/replay", null).statusCode()).isEqualTo(409);
    }
}
