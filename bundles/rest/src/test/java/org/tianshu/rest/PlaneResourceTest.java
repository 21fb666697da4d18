package org.tianshu.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.RouterRole;
import org.tianshu.api.plane.Topology;
import org.tianshu.api.testing.InMemoryNetworkController;
import org.tianshu.persistence.Database;
import org.tianshu.planes.PlaneManager;
import org.tianshu.planes.Pools;
import org.tianshu.slicing.PathEngine;
import org.tianshu.testing.TestPlatform;

/** {@code /planes} and {@code /topology} over HTTP on the real plane manager, path engine and in-memory controller. */
class PlaneResourceTest {
    private static final Map<String, String> PASSWORDS = Map.of("ops", "ops-pw", "alice", "alice-pw", "bob", "bob-pw");
    private static final String PLANE = """
            name: egov
            departments: [health]
            isolation: hard
            slo: {minBandwidthMbps: 40, maxLatencyMs: 10}
            sites:
              - {name: hq, attachment: r1/p1}
              - {name: county, attachment: r3/p1}
            """;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private TestPlatform platform;
    private Database db;
    private PathEngine engine;
    private InMemoryNetworkController controller;
    private Server server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        platform = new TestPlatform();
        platform.department("health", "省卫生健康委");
        db = Database.open("jdbc:h2:mem:rest-planes-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "sa", "", 5);
        controller = new InMemoryNetworkController("memory", new Topology(List.of(
                new Router("r1", RouterRole.CORE, "chengdu", "fd00:0:1::/48"),
                new Router("r2", RouterRole.AGGREGATION, "mianyang", "fd00:0:2::/48"),
                new Router("r3", RouterRole.ACCESS, "mianyang", "fd00:0:3::/48")),
                List.of(new Link("r1-r2", "r1", "r2", 1000, 2000, Set.of("d1"), true),
                        new Link("r2-r3", "r2", "r3", 100, 500, Set.of("d2"), true))),
                List.of(Attachment.parse("r1/p1"), Attachment.parse("r3/p1")));
        engine = new PathEngine();
        PlaneManager planes = new PlaneManager(db.dataSource(), engine, controller, platform.departments(),
                new PlaneManager.Settings(Pools.of("fd10::/32", 40, 56, "10.128.0.0/12", 20, 24), 1000, 2000));
        planes.start();
        ApiServlet servlet = new ApiServlet(Services.of(platform.clouds(), platform.cloudAdmin(), platform.inventory(),
                platform.departments(), platform.quotas(), platform.provisioning(), platform.audit(), null, null, null, null, planes,
                planes, engine, null, null, null, null, null),
                TestRealm.authenticator(), new Settings(TestRealm.NAME, 4096, 5));
        server = new Server(0);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(servlet), "/api/v1/*");
        server.setHandler(context);
        server.start();
        base = "http://localhost:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        db.close();
        platform.close();
    }

    private HttpResponse<String> call(String user, String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + PASSWORDS.get(user)).getBytes(StandardCharsets.UTF_8)));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return json.readTree(r.body());
    }

    @Test
    void dryRunApplyReadChangeDelete() throws Exception {
        JsonNode dry = body(call("ops", "POST", "/api/v1/planes?dryRun=true", PLANE, "application/yaml"), 200);
        assertThat(dry.get("exists").asBoolean()).isFalse();
        assertThat(dry.findValuesAsText("subject")).contains("hq~county");
        assertThat(engine.reservations()).isEmpty();

        HttpResponse<String> created = call("ops", "POST", "/api/v1/planes", PLANE, "application/yaml");
        assertThat(body(created, 201).at("/planned/sites/1/decapSid").asText()).isEqualTo("fd00:0:3::d:3e8");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/planes/egov");
        assertThat(controller.plane("egov")).isNotNull();

        JsonNode plane = body(call("alice", "GET", "/api/v1/planes/egov", null, null), 200);
        assertThat(plane.get("state").asText()).isEqualTo("VERIFIED");
        assertThat(plane.at("/paths/0/primary/routers").toString()).isEqualTo("[\"r1\",\"r2\",\"r3\"]");
        assertThat(body(call("bob", "GET", "/api/v1/planes", null, null), 200)).isEmpty();
        body(call("bob", "GET", "/api/v1/planes/egov", null, null), 404);
        assertThat(body(call("ops", "GET", "/api/v1/planes/egov/status", null, null), 200).get("realised").asBoolean()).isTrue();

        JsonNode refused = body(call("ops", "PUT", "/api/v1/planes/egov/bandwidth", "{\"minBandwidthMbps\": 200}", "application/json"), 409);
        assertThat(refused.get("field").asText()).isEqualTo("bandwidthMbps");
        assertThat(refused.get("detail").asText()).contains("link r2-r3 has 100 of 100 Mbps free");
        assertThat(body(call("ops", "PUT", "/api/v1/planes/egov/bandwidth", "{\"minBandwidthMbps\": 60}", "application/json"), 200)
                .at("/intent/slo/minBandwidthMbps").asLong()).isEqualTo(60);
        assertThat(body(call("ops", "GET", "/api/v1/topology", null, null), 200).at("/links/1/id").asText()).isEqualTo("r2-r3");
        body(call("alice", "DELETE", "/api/v1/planes/egov", null, null), 403);
        assertThat(call("ops", "DELETE", "/api/v1/planes/egov", null, null).statusCode()).isEqualTo(204);
        assertThat(engine.reservations()).isEmpty();
        assertThat(controller.plane("egov")).isNull();
    }

    @Test
    void badInputIs400NamingTheFieldAndNothingIsReserved() throws Exception {
        JsonNode unknown = body(call("ops", "POST", "/api/v1/planes", PLANE.replace("r3/p1", "r7/p9"), "application/yaml"), 400);
        assertThat(unknown.get("field").asText()).isEqualTo("sites[1].attachment");
        JsonNode field = body(call("ops", "POST", "/api/v1/planes",
                "{\"name\": \"x\", \"departments\": [\"health\"], \"colour\": \"red\"}", "application/json"), 400);
        assertThat(field.get("field").asText()).isEqualTo("colour");
        assertThat(body(call("ops", "POST", "/api/v1/planes", PLANE.replace("minBandwidthMbps: 40", "minBandwidthMbps: -1"),
                "application/yaml"), 400).get("field").asText()).isEqualTo("slo.minBandwidthMbps");
        assertThat(body(call("ops", "POST", "/api/v1/planes", PLANE.replace("isolation: hard", "connectivity: hub-and-spoke\nhub: town"),
                "application/yaml"), 400).get("field").asText()).isEqualTo("hub");
        assertThat(body(call("ops", "POST", "/api/v1/planes", PLANE.replace("r3/p1", "r3/p1, keepIpv6Prefix: 'fd10::1/48'"),
                "application/yaml"), 400).get("field").asText()).isEqualTo("sites[1].keepIpv6Prefix");
        assertThat(call("ops", "POST", "/api/v1/planes", PLANE, "application/xml").statusCode()).isEqualTo(415);
        assertThat(engine.reservations()).isEmpty();
        assertThat(controller.realised()).isEmpty();
    }

    @Test
    void migrationImportAndCutOver() throws Exception {
        String network = """
                network: health-private
                plane: {name: health-net, departments: [health]}
                sites:
                  - {name: hospital, attachment: r1/p1, ipv6Prefix: '2409:8a00:12::/56', addresses: keep}
                  - {name: clinic, attachment: r3/p1, ipv6Prefix: '2409:8a00:12:100::/56', addresses: map}
                """;
        HttpResponse<String> imported = call("ops", "POST", "/api/v1/migrations", network, "application/yaml");
        assertThat(body(imported, 201).at("/sites/0/cutOver").asBoolean()).isFalse();
        assertThat(body(call("ops", "POST", "/api/v1/migrations", network, "application/yaml"), 409).get("field").asText())
                .isEqualTo("network");
        JsonNode one = body(call("ops", "POST", "/api/v1/migrations/health-private/cutover", "{\"sites\": [\"hospital\"]}",
                "application/json"), 400);
        assertThat(one.get("field").asText()).isEqualTo("sites");
        JsonNode done = body(call("ops", "POST", "/api/v1/migrations/health-private/cutover",
                "{\"sites\": [\"hospital\", \"clinic\"]}", "application/json"), 200);
        assertThat(done.at("/sites/0/ipv6Prefix").asText()).isEqualTo("2409:8a00:12::/56");
        assertThat(done.at("/sites/1/ipv6Prefix").asText()).isEqualTo("fd10::/56");
        assertThat(body(call("alice", "GET", "/api/v1/migrations/health-private", null, null), 200).at("/sites/1/cutOver").asBoolean())
                .isTrue();
        body(call("bob", "GET", "/api/v1/migrations/health-private", null, null), 404);
        assertThat(controller.plane("health-net")).isNotNull();
    }
}
