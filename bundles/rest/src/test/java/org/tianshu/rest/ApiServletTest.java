package org.tianshu.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Resources;
import org.tianshu.api.scheduling.Usage;
import org.tianshu.api.audit.AuditEvent;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.testing.TestPlatform;

/**
 * The servlet in an embedded Jetty, called over HTTP, backed by the real core services (in-memory H2,
 * in-memory clouds) and a real JAAS login.
 */
class ApiServletTest {
    private static final Map<String, String> PASSWORDS = Map.of("admin", "admin-pw", "ops", "ops-pw", "alice",
            "alice-pw", "bob", "bob-pw");
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private TestPlatform platform;
    private ApiServlet servlet;
    private Server server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        platform = new TestPlatform();
        platform.onboard("chengdu-os", CloudKind.OPENSTACK, "Chengdu");
        platform.department("health", "省卫生健康委");
        platform.department("edu", "省教育厅");
        platform.unmanaged("chengdu-os", "his", "health", new Resources(2000, 4096, 40, 0));
        platform.unmanaged("chengdu-os", "exam", "edu", new Resources(2000, 4096, 40, 0));
        platform.unmanaged("chengdu-os", "stray", null, new Resources(1000, 1024, 10, 0));
        start(new Settings(TestRealm.NAME, 4096, 5));
    }

    private void start(Settings settings) throws Exception {
        if (server != null) {
            server.stop();
        }
        servlet = new ApiServlet(Services.of(platform.clouds(), platform.cloudAdmin(), platform.inventory(),
                platform.departments(), platform.quotas(), platform.provisioning(), platform.audit(), platform.scheduler(),
                platform.efficiency(), platform.rebalance(), platform.showback(), null, null, null,
                platform.dr(), platform.drAdmin(), null, null, null),
                TestRealm.authenticator(), settings);
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
        platform.close();
    }

    private HttpResponse<String> call(String user, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            String token = user + ":" + PASSWORDS.getOrDefault(user, "wrong");
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    token.getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null && !java.util.Arrays.asList(headers).contains("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> r) throws Exception {
        return json.readTree(r.body());
    }

    private JsonNode problem(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode p = body(r);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asText()).isNotBlank();
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        return p;
    }

    private static String vm(String name, String department) {
        return "{\"cloud\":\"chengdu-os\",\"name\":\"" + name + "\",\"departmentId\":\"" + department
                + "\",\"kind\":\"vm\",\"flavor\":\"m1.small\",\"image\":\"cirros\"}";
    }

    // metrics

    @Test
    void requestsAreSummedPerMethodRouteTemplateAndStatusClass() throws Exception {
        call("alice", "GET", "/api/v1/clouds", null);
        servlet.recordRequests();
        java.util.List<org.tianshu.api.metrics.MetricPoint> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();
        servlet.recordWith(recorded::addAll);
        servlet.recordRequests();
        assertThat(recorded).as("nothing is summed while no recorder is there").isEmpty();

        assertThat(call("alice", "GET", "/api/v1/clouds", null).statusCode()).isEqualTo(200);
        assertThat(call("alice", "GET", "/api/v1/clouds", null).statusCode()).isEqualTo(200);
        assertThat(call("alice", "GET", "/api/v1/clouds/nowhere", null).statusCode()).isEqualTo(404);
        assertThat(call("alice", "GET", "/api/v1/no-such-thing", null).statusCode()).isEqualTo(404);
        assertThat(call(null, "GET", "/api/v1/clouds", null).statusCode()).isEqualTo(401);
        servlet.recordRequests();

        assertThat(recorded).allMatch(p -> p.measurement().equals("api_request"));
        java.util.Map<String, org.tianshu.api.metrics.MetricPoint> bySeries = new java.util.HashMap<>();
        recorded.forEach(p -> bySeries.put(p.tags().get("method") + " " + p.tags().get("route") + " " + p.tags().get("status"), p));
        assertThat(bySeries).containsOnlyKeys("GET /clouds 2xx", "GET /clouds 4xx", "GET /clouds/{id} 4xx", "GET unmatched 4xx");
        assertThat(bySeries.get("GET /clouds 2xx").fields()).containsEntry("count", 2L).containsKeys("latency_ms", "latency_ms_max");
        assertThat(bySeries.get("GET /clouds/{id} 4xx").fields()).containsEntry("count", 1L);
        assertThat(bySeries.get("GET /clouds 4xx").fields()).as("the 401").containsEntry("count", 1L);
        assertThat(bySeries.get("GET unmatched 4xx").fields()).containsEntry("count", 1L);
    }

    // authentication

    @Test
    void missingOrBadCredentialsGive401WithChallenge() throws Exception {
        HttpResponse<String> none = call(null, "GET", "/api/v1/clouds", null);
        problem(none, 401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Basic realm="));
        problem(call("mallory", "GET", "/api/v1/clouds", null), 401);
        HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/clouds"))
                .header("Authorization", "Basic !!!").build(), HttpResponse.BodyHandlers.ofString());
        problem(garbage, 401);
    }

    @Test
    void rolesDecideWhoMayWrite() throws Exception {
        assertThat(call("alice", "GET", "/api/v1/clouds", null).statusCode()).isEqualTo(200);
        JsonNode p = problem(call("alice", "POST", "/api/v1/departments", "{\"id\":\"tax\",\"name\":\"税务局\"}"),
                403);
        assertThat(p.get("detail").asText()).contains("alice");
        assertThat(call("ops", "POST", "/api/v1/departments", "{\"id\":\"tax\",\"name\":\"税务局\"}").statusCode())
                .isEqualTo(201);
        problem(call("alice", "GET", "/api/v1/audit", null), 403);
        problem(call("alice", "GET", "/api/v1/inventory/hosts", null), 403);
        problem(call("alice", "POST", "/api/v1/clouds/chengdu-os/sync", null), 403);
        assertThat(call("admin", "GET", "/api/v1/inventory/hosts", null).statusCode()).isEqualTo(200);
    }

    // department isolation

    @Test
    void departmentUserSeesOnlyOwnDepartment() throws Exception {
        assertThat(call("alice", "POST", "/api/v1/workloads", vm("his-web", "health")).statusCode()).isEqualTo(202);
        assertThat(call("bob", "POST", "/api/v1/workloads", vm("exam-web", "edu")).statusCode()).isEqualTo(202);

        JsonNode aliceWorkloads = body(call("alice", "GET", "/api/v1/workloads", null));
        assertThat(aliceWorkloads).hasSize(1);
        assertThat(aliceWorkloads.get(0).at("/spec/departmentId").asText()).isEqualTo("health");
        assertThat(body(call("ops", "GET", "/api/v1/workloads", null))).hasSize(2);
        problem(call("alice", "GET", "/api/v1/workloads?department=edu", null), 403);

        JsonNode inventory = body(call("alice", "GET", "/api/v1/inventory/workloads", null));
        assertThat(inventory.findValuesAsText("departmentId")).containsOnly("health");
        assertThat(body(call("ops", "GET", "/api/v1/inventory/workloads", null))).hasSize(3);
        problem(call("alice", "GET", "/api/v1/inventory/workloads?department=edu", null), 403);

        assertThat(body(call("alice", "GET", "/api/v1/departments", null)).findValuesAsText("id"))
                .containsExactly("health");
        problem(call("alice", "GET", "/api/v1/departments/edu", null), 403);
        problem(call("alice", "GET", "/api/v1/departments/edu/quotas", null), 403);
        assertThat(call("alice", "GET", "/api/v1/departments/health/quotas", null).statusCode()).isEqualTo(200);
        problem(call("alice", "POST", "/api/v1/workloads", vm("sneaky", "edu")), 403);
        String bobs = body(call("bob", "GET", "/api/v1/workloads", null)).get(0).get("id").asText();
        assertThat(call("alice", "GET", "/api/v1/workloads/" + bobs, null).statusCode()).isIn(403, 404);
    }

    // errors

    @Test
    void malformedJsonNamesTheLocation() throws Exception {
        JsonNode p = problem(call("ops", "PUT", "/api/v1/credentials/chengdu",
                "{\"values\": {\"username\": \"u\" \"password\": \"p\"}}"), 400);
        assertThat(p.get("field").asText()).startsWith("values");
        assertThat(p.get("detail").asText()).contains("malformed JSON", "line 1");

        JsonNode truncated = problem(call("ops", "POST", "/api/v1/departments", "{\"id\": \"tax\", "), 400);
        assertThat(truncated.get("field").asText()).isNotBlank();

        JsonNode empty = problem(call("ops", "POST", "/api/v1/departments", ""), 400);
        assertThat(empty.get("field").asText()).isEqualTo("body");
    }

    @Test
    void missingFieldsAreNamed() throws Exception {
        assertThat(problem(call("ops", "POST", "/api/v1/departments", "{\"name\":\"税务局\"}"), 400)
                .get("field").asText()).isEqualTo("id");
        assertThat(problem(call("ops", "POST", "/api/v1/workloads",
                "{\"cloud\":\"chengdu-os\",\"name\":\"a\",\"departmentId\":\"health\",\"image\":\"kylin\"}"), 400)
                .get("field").asText()).isEqualTo("flavor");
        assertThat(problem(call("ops", "PUT", "/api/v1/departments/health/quotas/cpu", "{}"), 400)
                .get("field").asText()).isEqualTo("limit");
        assertThat(problem(call("ops", "POST", "/api/v1/clouds", "{\"id\":\"x\",\"kind\":\"openstack\"}"), 400)
                .get("field").asText()).isEqualTo("city");
    }

    @Test
    void wrongTypesAndUnknownFieldsAreNamed() throws Exception {
        JsonNode limit = problem(call("ops", "PUT", "/api/v1/departments/health/quotas/cpu",
                "{\"limit\":\"ten\"}"), 400);
        assertThat(limit.get("field").asText()).isEqualTo("limit");
        assertThat(limit.get("detail").asText()).contains("integer");
        assertThat(problem(call("ops", "POST", "/api/v1/workloads",
                "{\"cloud\":\"chengdu-os\",\"name\":\"a\",\"departmentId\":\"health\",\"kind\":\"container\","
                        + "\"image\":\"nginx\",\"replicas\":\"three\"}"), 400)
                .get("field").asText()).isEqualTo("replicas");
        assertThat(problem(call("ops", "POST", "/api/v1/departments", "{\"id\":7,\"name\":\"x\"}"), 400)
                .get("field").asText()).isEqualTo("id");
        assertThat(problem(call("ops", "POST", "/api/v1/clouds", "{\"id\":\"x\",\"options\":{\"a\":[1]}}"), 400)
                .get("field").asText()).isEqualTo("options.a");
        JsonNode unknown = problem(call("ops", "PUT", "/api/v1/departments/health/quotas/cpu",
                "{\"limit\":5,\"limti\":3}"), 400);
        assertThat(unknown.get("field").asText()).isEqualTo("limti");
        assertThat(problem(call("ops", "PUT", "/api/v1/departments/health/quotas/bandwidth", "{\"limit\":5}"), 400)
                .get("field").asText()).isEqualTo("resource");
        assertThat(problem(call("ops", "GET", "/api/v1/audit?limit=lots", null), 400)
                .get("field").asText()).isEqualTo("limit");
        problem(call("ops", "POST", "/api/v1/departments", "{\"id\":\"tax\",\"name\":\"x\"}", "Content-Type",
                "text/plain"), 415);
    }

    @Test
    void unknownCloudIs404FromTheService() throws Exception {
        JsonNode p = problem(call("alice", "POST", "/api/v1/workloads",
                vm("his-web", "health").replace("chengdu-os", "lhasa-os")), 404);
        assertThat(p.get("field").asText()).isEqualTo("cloud");
        assertThat(p.get("type").asText()).isEqualTo("urn:tianshu:problem:not-found");
        assertThat(problem(call("alice", "GET", "/api/v1/clouds/lhasa-os", null), 404).get("field").asText())
                .isEqualTo("cloud");
    }

    @Test
    void quotaExceededIs409NamingTheResource() throws Exception {
        assertThat(call("ops", "PUT", "/api/v1/departments/health/quotas/instances", "{\"limit\":1}")
                .statusCode()).isEqualTo(200);
        assertThat(call("alice", "POST", "/api/v1/workloads", vm("his-web", "health")).statusCode()).isEqualTo(202);
        JsonNode p = problem(call("alice", "POST", "/api/v1/workloads", vm("his-db", "health")), 409);
        assertThat(p.get("field").asText()).isEqualTo("instances");
        JsonNode quotas = body(call("alice", "GET", "/api/v1/departments/health/quotas", null));
        assertThat(quotas.get(0).get("used").asLong()).isEqualTo(1);
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() throws Exception {
        JsonNode nf = problem(call("ops", "GET", "/api/v1/nowhere", null), 404);
        assertThat(nf.get("detail").asText()).contains("/nowhere");
        problem(call(null, "GET", "/api/v1/clouds/a/b/c", null), 404);
        HttpResponse<String> wrong = call("ops", "PATCH", "/api/v1/clouds", "{}");
        problem(wrong, 405);
        assertThat(wrong.headers().firstValue("Allow")).hasValue("GET, POST");
    }

    @Test
    void tooLargeBodyIs413() throws Exception {
        String big = "{\"id\":\"tax\",\"name\":\"" + "x".repeat(5000) + "\"}";
        problem(call("ops", "POST", "/api/v1/departments", big), 413);
    }

    // workloads

    @Test
    void workloadWithoutCloudIsPlacedByTheSchedulerAndExplained() throws Exception {
        platform.onboard("mianyang-os", CloudKind.OPENSTACK, "Mianyang");
        String scheduled = vm("his-web", "health").replace("\"cloud\":\"chengdu-os\",", "");
        HttpResponse<String> r = call("alice", "POST", "/api/v1/workloads", scheduled.replace("}",
                ",\"constraints\":{\"residency\":\"Mianyang\"}}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode p = body(r);
        assertThat(p.get("cloudId").asText()).isEqualTo("mianyang-os");
        JsonNode verdicts = p.at("/placement/clouds");
        assertThat(verdicts.findValuesAsText("cloudId")).containsExactly("chengdu-os", "mianyang-os");
        assertThat(verdicts.get(0).get("rejectedBy").asText()).isEqualTo("RESIDENCY");
        assertThat(verdicts.get(1).get("members").asInt()).isEqualTo(1);
        assertThat(body(call("alice", "GET", "/api/v1/workloads/" + p.get("id").asText() + "?wait=2", null))
                .at("/placement/summary").asText()).contains("mianyang-os");

        assertThat(problem(call("alice", "POST", "/api/v1/workloads", scheduled.replace("}",
                ",\"constraints\":{\"residency\":\"Lhasa\"}}")), 400).get("field").asText())
                .isEqualTo("constraints.residency");
        assertThat(problem(call("alice", "POST", "/api/v1/workloads", vm("his-db", "health").replace("}",
                ",\"preferences\":{\"spread\":1}}")), 400).get("field").asText()).isEqualTo("preferences");
        assertThat(problem(call("alice", "POST", "/api/v1/workloads", scheduled.replace("}",
                ",\"constraints\":{\"minSecurityZone\":4}}")), 409).get("field").asText()).isEqualTo("placement");
        assertThat(body(call("alice", "GET", "/api/v1/workloads", null))).hasSize(1);
    }

    // placements, reservations, scheduling policy

    private static String placement(String demand, String extra) {
        return "{\"departmentId\":\"health\",\"demand\":" + demand + extra + "}";
    }

    @Test
    void placementDryRunExplainsPerCloudAndHostAndReservesNothing() throws Exception {
        HttpResponse<String> r = call("alice", "POST", "/api/v1/placements",
                placement("{\"cpuMillis\":2000,\"memoryMiB\":4096}", ",\"explainHosts\":true"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode p = body(r);
        assertThat(p.get("outcome").asText()).isEqualTo("FEASIBLE");
        assertThat(p.at("/decision/0/cloudId").asText()).isEqualTo("chengdu-os");
        assertThat(p.at("/explanation/clouds/0/cloudId").asText()).isEqualTo("chengdu-os");
        assertThat(p.at("/explanation/hosts").findValuesAsText("host")).containsExactlyInAnyOrder("host-1", "host-2");
        assertThat(body(call("alice", "GET", "/api/v1/reservations", null))).isEmpty();

        JsonNode tooBig = body(call("alice", "POST", "/api/v1/placements", placement("{\"cpuMillis\":64000}", "")));
        assertThat(tooBig.get("outcome").asText()).isEqualTo("REFUSED");
        assertThat(tooBig.at("/explanation/refusedBy").asText()).isEqualTo("CAPACITY");
        assertThat(tooBig.at("/explanation/summary").asText()).contains("no capacity", "cpu");
    }

    @Test
    void placementReservesAndIsReleasedThroughReservations() throws Exception {
        assertThat(call("ops", "PUT", "/api/v1/departments/health/quotas/memory", "{\"limit\":65536}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> r = call("alice", "POST", "/api/v1/placements",
                placement("{\"cpuMillis\":2000,\"memoryMiB\":4096}", ",\"count\":2,\"dryRun\":false,"
                        + "\"constraints\":{\"antiAffinityGroup\":\"web\"}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = body(r).get("reservationId").asText();
        assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/reservations/" + id);
        assertThat(body(r).get("decision").findValuesAsText("host")).containsExactlyInAnyOrder("host-1", "host-2");
        JsonNode held = body(call("alice", "GET", "/api/v1/reservations?department=health", null));
        assertThat(held.findValuesAsText("id")).containsExactly(id);
        assertThat(held.get(0).get("antiAffinityGroup").asText()).isEqualTo("web");
        assertThat(body(call("alice", "GET", "/api/v1/departments/health/quotas", null)).get(0).get("used").asLong())
                .isEqualTo(8192);
        problem(call("bob", "DELETE", "/api/v1/reservations/" + id, null), 403);
        assertThat(call("alice", "DELETE", "/api/v1/reservations/" + id, null).statusCode()).isEqualTo(204);
        assertThat(body(call("alice", "GET", "/api/v1/reservations", null))).isEmpty();
        assertThat(body(call("alice", "GET", "/api/v1/departments/health/quotas", null)).get(0).get("used").asLong()).isZero();
        assertThat(problem(call("alice", "DELETE", "/api/v1/reservations/" + id, null), 404).get("field").asText())
                .isEqualTo("reservationId");
    }

    @Test
    void impossiblePlacementsAre400NamingTheFieldAndReserveNothing() throws Exception {
        String[][] cases = {
            {placement("{\"cpuMillis\":-1}", ",\"dryRun\":false"), "demand.cpuMillis"},
            {placement("{\"cpuMillis\":1000}", ",\"dryRun\":false,\"constraints\":{\"zones\":[\"az9\"]}"),
                "constraints.zones"},
            {placement("{\"cpuMillis\":1000}", ",\"dryRun\":false,\"count\":2,"
                    + "\"constraints\":{\"affinityGroup\":\"g\",\"antiAffinityGroup\":\"h\"}"),
                "constraints.antiAffinityGroup"},
            {placement("{\"cpuMillis\":1000}", ",\"dryRun\":false,\"constraints\":{\"residency\":\"Lhasa\"}"),
                "constraints.residency"},
            {placement("{\"cpuMillis\":1000}", ",\"dryRun\":false,\"count\":0"), "count"},
            {placement("{\"cpuMillis\":1000}", ",\"dryRun\":false,\"preferences\":{\"cost\":-2}"),
                "preferences.cost"},
            {placement("{\"cpus\":1000}", ""), "demand.cpus"},
            {"{\"departmentId\":\"health\"}", "demand"},
        };
        for (String[] c : cases) {
            assertThat(problem(call("alice", "POST", "/api/v1/placements", c[0]), 400).get("field").asText())
                    .as(c[0]).isEqualTo(c[1]);
        }
        assertThat(body(call("alice", "GET", "/api/v1/reservations", null))).isEmpty();
        problem(call("alice", "POST", "/api/v1/placements", "{\"departmentId\":\"edu\",\"demand\":{\"cpuMillis\":1}}"), 403);
    }

    @Test
    void schedulingPolicyIsSetByOperatorsAndUsedByPlacement() throws Exception {
        platform.onboard("mianyang-os", CloudKind.OPENSTACK, "Mianyang");
        assertThat(body(call("alice", "GET", "/api/v1/departments/health/scheduling-policy", null))
                .get("allowedClouds")).isEmpty();
        String policy = "{\"allowedClouds\":[\"mianyang-os\"],\"preferences\":{\"spread\":1,\"cost\":0.5}}";
        problem(call("alice", "PUT", "/api/v1/departments/health/scheduling-policy", policy), 403);
        JsonNode set = body(call("ops", "PUT", "/api/v1/departments/health/scheduling-policy", policy));
        assertThat(set.at("/preferences/spread").asDouble()).isEqualTo(1.0);
        assertThat(body(call("alice", "GET", "/api/v1/departments/health/scheduling-policy", null))).isEqualTo(set);
        assertThat(body(call("alice", "POST", "/api/v1/placements", placement("{\"cpuMillis\":1000}", "")))
                .at("/decision/0/cloudId").asText()).isEqualTo("mianyang-os");
        assertThat(problem(call("ops", "PUT", "/api/v1/departments/health/scheduling-policy",
                "{\"allowedClouds\":[\"lhasa-os\"]}"), 400).get("field").asText()).isEqualTo("allowedClouds");
        problem(call("ops", "GET", "/api/v1/departments/nobody/scheduling-policy", null), 404);
    }

    @Test
    void efficiencyShowsOperatorsEverythingAndDepartmentsTheirOwn() throws Exception {
        // the in-memory cloud reports host allocation as set here (the workloads made in start() total 5 cores)
        platform.world("chengdu-os").hosts.set(0, new org.tianshu.api.cloud.Host(null, "host-1", "az1",
                new Resources(16000, 65536, 500, 0), new Resources(5000, 9216, 90, 0), null, true));
        platform.sync("chengdu-os");
        platform.efficiency().addUsageSource(() -> List.of(new Usage("chengdu-os", "host-1", null, 0.5, Instant.now()),
                new Usage("chengdu-os", "host-1", "ext-his", 0.01, Instant.now())));
        JsonNode all = body(call("ops", "GET", "/api/v1/efficiency", null));
        assertThat(all.get("clouds").findValuesAsText("id")).containsExactly("chengdu-os");
        assertThat(all.at("/clouds/0/hosts").asInt()).isEqualTo(2);
        assertThat(all.at("/clouds/0/cpuAllocation").asDouble()).isCloseTo(5000.0 / 32000, within(1e-9));
        assertThat(all.get("hosts").findValuesAsText("host")).containsExactly("host-1", "host-2");
        assertThat(all.at("/hosts/0/cpuUse").asDouble()).isEqualTo(0.5);
        assertThat(all.get("departments").findValuesAsText("id")).containsExactly("edu", "health");
        assertThat(all.get("workloads")).hasSize(3);

        JsonNode alice = body(call("alice", "GET", "/api/v1/efficiency", null));
        assertThat(alice.get("clouds")).isEmpty();
        assertThat(alice.get("hosts")).isEmpty();
        assertThat(alice.get("departments").findValuesAsText("id")).containsExactly("health");
        assertThat(alice.get("workloads").findValuesAsText("name")).containsExactly("his");
        assertThat(alice.at("/workloads/0/cpuUse").asDouble()).isEqualTo(0.01);
        assertThat(alice.at("/workloads/0/lowSince").asText()).isNotBlank();
        assertThat(alice.at("/workloads/0/idle").asBoolean()).isFalse();
    }

    @Test
    void rebalancePlansAreProposedApprovedAndExecutedByOperators() throws Exception {
        // host-1 holds the three workloads of start() (5 cores), host-2 one small VM that fits beside them
        var world = platform.world("chengdu-os");
        world.hosts.set(0, new org.tianshu.api.cloud.Host(null, "host-1", "az1", new Resources(16000, 65536, 500, 0),
                new Resources(5000, 9216, 90, 0), null, true));
        world.hosts.set(1, new org.tianshu.api.cloud.Host(null, "host-2", "az1", new Resources(16000, 65536, 500, 0),
                new Resources(1000, 1024, 10, 0), null, true));
        world.workloads.put("ext-tiny", new org.tianshu.api.cloud.Workload(null, "ext-tiny", "tiny",
                org.tianshu.api.cloud.WorkloadKind.VM, "health", "host-2", org.tianshu.api.cloud.WorkloadState.ACTIVE,
                new Resources(1000, 1024, 10, 0), null));
        platform.sync("chengdu-os");

        problem(call("alice", "POST", "/api/v1/rebalance-plans", "{}"), 403);
        HttpResponse<String> r = call("ops", "POST", "/api/v1/rebalance-plans", "{\"cloud\":\"chengdu-os\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode plan = body(r);
        String id = plan.get("id").asText();
        assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/rebalance-plans/" + id);
        assertThat(plan.get("state").asText()).isEqualTo("PROPOSED");
        assertThat(plan.at("/moves/0/workload").asText()).isEqualTo("tiny");
        assertThat(plan.at("/moves/0/toHost").asText()).isEqualTo("host-1");
        assertThat(plan.get("freed").get(0).asText()).isEqualTo("chengdu-os/host-2");

        assertThat(problem(call("ops", "POST", "/api/v1/rebalance-plans/" + id + "/execute", null), 409).get("field").asText())
                .isEqualTo("id");
        assertThat(body(call("ops", "POST", "/api/v1/rebalance-plans/" + id + "/approve", null)).get("state").asText())
                .isEqualTo("APPROVED");
        HttpResponse<String> executing = call("ops", "POST", "/api/v1/rebalance-plans/" + id + "/execute", null);
        assertThat(executing.statusCode()).isEqualTo(202);
        JsonNode done = body(executing);
        for (int i = 0; i < 200 && !"DONE".equals(done.get("state").asText()); i++) {
            Thread.sleep(20);
            done = body(call("ops", "GET", "/api/v1/rebalance-plans/" + id, null));
        }
        assertThat(done.get("state").asText()).isEqualTo("DONE");
        assertThat(world.workloads.get("ext-tiny").host()).isEqualTo("host-1");
        assertThat(body(call("ops", "GET", "/api/v1/rebalance-plans", null)).findValuesAsText("id")).containsExactly(id);
        problem(call("ops", "GET", "/api/v1/rebalance-plans/nope", null), 404);
        problem(call("ops", "POST", "/api/v1/rebalance-plans", "{\"cloud\":\"lhasa-os\"}"), 404);
    }

    @Test
    void showbackReportsPricedUsageAsJsonOrCsv() throws Exception {
        platform.showback().sample();
        String period = "from=" + Instant.now().minusSeconds(3600) + "&to=" + Instant.now().plusSeconds(60);
        JsonNode all = body(call("ops", "GET", "/api/v1/showback?" + period, null));
        assertThat(all.get("currency").asText()).isEqualTo("CNY");
        assertThat(all.get("lines").findValuesAsText("departmentId")).containsExactly("edu", "health");
        // his: 2 cores, 4 GiB, 40 GiB disk for the first sample's hour
        JsonNode health = all.get("lines").get(1);
        assertThat(health.get("vcpuHours").asDouble()).isEqualTo(2.0);
        assertThat(health.get("cost").asDouble()).isEqualTo(Math.round((2 * 0.08 + 4 * 0.02 + 40 * 0.0005) * 100) / 100.0);

        HttpResponse<String> csv = call("alice", "GET", "/api/v1/showback?" + period + "&format=csv", null);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
        assertThat(csv.body()).startsWith("department,cloud,").contains("health,chengdu-os,2,4,0,40,").doesNotContain("edu");
        assertThat(problem(call("alice", "GET", "/api/v1/showback?from=yesterday&to=" + Instant.now(), null), 400)
                .get("field").asText()).isEqualTo("from");
        assertThat(problem(call("alice", "GET", "/api/v1/showback?" + period + "&format=xls", null), 400)
                .get("field").asText()).isEqualTo("format");
        assertThat(problem(call("alice", "GET", "/api/v1/showback?to=" + Instant.now() + "&from=" + Instant.now(), null), 400)
                .get("field").asText()).isEqualTo("to");
        problem(call("alice", "GET", "/api/v1/showback?" + period + "&department=edu", null), 403);
    }

    @Test
    void postWorkloadAnswers202WithLocationAndPassesIdempotencyKey() throws Exception {
        HttpResponse<String> r = call("alice", "POST", "/api/v1/workloads", vm("his-web", "health"),
                "Idempotency-Key", "k-42");
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode created = body(r);
        String id = created.get("id").asText();
        assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/workloads/" + id);
        assertThat(created.get("idempotencyKey").asText()).isEqualTo("k-42");
        assertThat(created.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(body(r).get("state").asText()).isEqualTo("RESERVED");

        HttpResponse<String> again = call("alice", "POST", "/api/v1/workloads", vm("his-web", "health"),
                "Idempotency-Key", "k-42");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(body(again).get("id").asText()).isEqualTo(id);
        assertThat(body(call("alice", "GET", "/api/v1/workloads", null)).findValuesAsText("id")).containsExactly(id);
        assertThat(problem(call("alice", "POST", "/api/v1/workloads", vm("his-db", "health"), "Idempotency-Key",
                "k-42"), 409).get("field").asText()).isEqualTo("idempotencyKey");

        HttpResponse<String> got = call("alice", "GET", r.headers().firstValue("Location").orElseThrow()
                + "?wait=2", null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(body(got).get("state").asText()).isEqualTo("ACTIVE");
        assertThat(problem(call("alice", "GET", "/api/v1/workloads/" + id + "?wait=9999", null), 400)
                .get("field").asText()).isEqualTo("wait");

        String externalId = body(got).get("externalId").asText();
        assertThat(platform.world("chengdu-os").workloads.get(externalId).requestId()).isEqualTo(id);

        HttpResponse<String> deleted = call("alice", "DELETE", "/api/v1/workloads/" + id, null);
        assertThat(deleted.statusCode()).isEqualTo(202);
        assertThat(deleted.headers().firstValue("Location")).hasValue("/api/v1/workloads/" + id);
        assertThat(body(deleted).get("state").asText()).isEqualTo("DELETING");
        assertThat(body(call("alice", "GET", "/api/v1/workloads/" + id + "?wait=2", null)).get("state").asText())
                .isEqualTo("DELETED");
        assertThat(platform.world("chengdu-os").workloads).doesNotContainKey(externalId);
    }

    @Test
    void containerWorkloadCarriesItsSpec() throws Exception {
        platform.onboard("chengdu-k8s", CloudKind.KUBERNETES, "Chengdu");
        HttpResponse<String> r = call("ops", "POST", "/api/v1/workloads",
                "{\"cloud\":\"chengdu-k8s\",\"name\":\"api\",\"departmentId\":\"edu\",\"kind\":\"container\","
                        + "\"image\":\"nginx:1.27\",\"replicas\":3,\"cpuMillis\":500,\"memoryMiB\":512,"
                        + "\"controller\":\"statefulset\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode spec = body(r).get("spec");
        assertThat(spec.get("kind").asText()).isEqualTo("CONTAINER");
        assertThat(spec.get("replicas").asInt()).isEqualTo(3);
        assertThat(spec.get("cpuMillis").asLong()).isEqualTo(500);
        assertThat(spec.get("controller").asText()).isEqualTo("statefulset");
        assertThat(body(r).get("demand").get("cpuMillis").asLong()).isEqualTo(1500);
        assertThat(body(r).get("demand").get("memoryMiB").asLong()).isEqualTo(1536);

        JsonNode wrongCloud = problem(call("ops", "POST", "/api/v1/workloads",
                "{\"cloud\":\"chengdu-os\",\"name\":\"api\",\"departmentId\":\"edu\",\"kind\":\"container\","
                        + "\"image\":\"nginx:1.27\",\"cpuMillis\":500,\"memoryMiB\":512}"), 400);
        assertThat(wrongCloud.get("field").asText()).isEqualTo("kind");
    }

    // clouds and credentials

    @Test
    void credentialsAreStoredButNeverReturned() throws Exception {
        HttpResponse<String> r = call("ops", "PUT", "/api/v1/credentials/xian",
                "{\"values\":{\"username\":\"tianshu\",\"password\":\"s3cr3t-value\"}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("s3cr3t-value");
        assertThat(body(r).get("keys").findValuesAsText("keys")).isEmpty();
        assertThat(body(r).get("keys")).extracting(JsonNode::asText).containsExactly("password", "username");
        assertThat(platform.auditTrail()).extracting(AuditEvent::action).containsExactly("credentials.put");
        assertThat(platform.auditTrail()).allSatisfy(e -> assertThat(e.toString()).doesNotContain("s3cr3t-value"));

        HttpResponse<String> cloud = call("ops", "POST", "/api/v1/clouds",
                "{\"id\":\"xian-k8s\",\"kind\":\"kubernetes\",\"city\":\"Xi'an\",\"securityZone\":3,"
                        + "\"xinchuang\":true,\"endpoint\":\"https://k8s.example:6443\",\"credentialsRef\":\"xian\"}");
        assertThat(cloud.statusCode()).as(cloud.body()).isEqualTo(201);
        assertThat(cloud.headers().firstValue("Location")).hasValue("/api/v1/clouds/xian-k8s");
        assertThat(body(call("alice", "GET", "/api/v1/clouds", null)).findValuesAsText("id"))
                .containsExactly("chengdu-os", "xian-k8s");
        assertThat(body(call("alice", "GET", "/api/v1/clouds/xian-k8s/status", null)).get("reachable")
                .asBoolean()).isTrue();
        assertThat(body(call("ops", "GET", "/api/v1/clouds/chengdu-os/drift", null)).get("unmanaged")
                .findValuesAsText("name")).containsExactly("exam", "his", "stray");

        // the stored secret is what the cloud is given: one it refuses makes onboarding fail, naming it
        assertThat(call("ops", "PUT", "/api/v1/credentials/xian", "{\"values\":{\"password\":\"bad\"}}")
                .statusCode()).isEqualTo(200);
        JsonNode refused = problem(call("ops", "POST", "/api/v1/clouds",
                "{\"id\":\"xian-os\",\"kind\":\"openstack\",\"city\":\"Xi'an\",\"securityZone\":3,"
                        + "\"endpoint\":\"https://keystone.example:5000/v3\",\"credentialsRef\":\"xian\"}"), 400);
        assertThat(refused.get("field").asText()).isEqualTo("credentials");
        assertThat(refused.get("detail").asText()).contains("refused credentials 'xian'");

        assertThat(call("ops", "DELETE", "/api/v1/clouds/xian-k8s", null).statusCode()).isEqualTo(204);
        HttpResponse<String> capacity = call("ops", "GET", "/api/v1/inventory/capacity", null);
        assertThat(capacity.statusCode()).isEqualTo(200);
        assertThat(body(capacity).findValuesAsText("cloudId")).containsExactly("chengdu-os");
        assertThat(body(capacity).get(0).get("hosts").asInt()).isEqualTo(2);
    }

    // audit

    @Test
    void mutatingCallsAreAuditedOnSuccessAndFailure() throws Exception {
        call("ops", "POST", "/api/v1/departments", "{\"id\":\"tax\",\"name\":\"税务局\"}");
        call("ops", "POST", "/api/v1/departments", "{\"id\":\"tax\",\"name\":\"税务局\"}");
        call("alice", "DELETE", "/api/v1/departments/edu", null);
        call("ops", "POST", "/api/v1/departments", "{\"id\":");
        call("ops", "GET", "/api/v1/departments", null);

        List<AuditEvent> trail = platform.auditTrail();
        assertThat(trail).extracting(AuditEvent::principal, AuditEvent::action, AuditEvent::target,
                AuditEvent::outcome).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ops", "department.create", "department/tax", "ok"),
                        org.assertj.core.groups.Tuple.tuple("ops", "department.create", "department/tax", "CONFLICT"),
                        org.assertj.core.groups.Tuple.tuple("alice", "department.delete", "department/edu",
                                "FORBIDDEN"),
                        org.assertj.core.groups.Tuple.tuple("ops", "department.create", "departments", "INVALID"));
        assertThat(trail.get(1).detail()).contains("exists");

        JsonNode recent = body(call("admin", "GET", "/api/v1/audit?limit=2", null));
        assertThat(recent).hasSize(2);
        assertThat(recent.get(0).get("outcome").asText()).isEqualTo("INVALID");
    }

    // OpenAPI

    @Test
    void openApiDocumentsExactlyTheRoutesServed() throws Exception {
        HttpResponse<String> r = call(null, "GET", "/api/v1/openapi.json", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = body(r);
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.at("/servers/0/url").asText()).isEqualTo("/api/v1");

        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
        }
        Set<String> served = servlet.routes().stream().map(route -> route.method() + " " + route.template())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).isEqualTo(served);

        // every documented $ref resolves
        Set<String> schemas = new TreeSet<>();
        doc.at("/components/schemas").fieldNames().forEachRemaining(schemas::add);
        assertThat(doc.findValuesAsText("$ref")).allSatisfy(
                ref -> assertThat(schemas).contains(ref.substring("#/components/schemas/".length())));
        // the documented path parameters match the template
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (JsonNode op : path.getValue()) {
                Set<String> declared = new TreeSet<>();
                op.path("parameters").forEach(p -> {
                    if ("path".equals(p.get("in").asText())) {
                        declared.add(p.get("name").asText());
                    }
                });
                Set<String> inTemplate = new TreeSet<>();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(path.getKey());
                while (m.find()) {
                    inTemplate.add(m.group(1));
                }
                assertThat(declared).as(path.getKey()).isEqualTo(inTemplate);
            }
        }
    }

    // disaster recovery

    @Test
    void drillThroughRestWithLiveRunReportAndBadInputNamed() throws Exception {
        platform.onboard("chengdu-k8s", CloudKind.KUBERNETES, "成都");
        platform.onboard("mianyang-k8s", CloudKind.KUBERNETES, "绵阳");
        platform.unmanaged("chengdu-k8s", "db", "health", new Resources(500, 512, 0, 0));
        platform.unmanaged("chengdu-k8s", "web", "health", new Resources(500, 512, 0, 0));
        String group = "{\"id\":\"his\",\"name\":\"HIS\",\"departmentId\":\"health\",\"protectedCloudId\":\"chengdu-k8s\","
                + "\"recoveryCloudId\":\"%s\",\"rpoTargetSeconds\":300,\"workloads\":[{\"name\":\"db\",\"externalId\":\"ext-db\"},"
                + "{\"name\":\"web\",\"externalId\":\"ext-web\"}]}";
        JsonNode same = problem(call("admin", "POST", "/api/v1/dr/groups", group.formatted("chengdu-k8s")), 400);
        assertThat(same.get("field").asText()).isEqualTo("recoveryCloudId");
        HttpResponse<String> created = call("admin", "POST", "/api/v1/dr/groups", group.formatted("mianyang-k8s"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/dr/groups/his");
        assertThat(call("admin", "POST", "/api/v1/dr/groups/his/replication", "{}").statusCode()).isEqualTo(200);
        assertThat(body(call("admin", "GET", "/api/v1/dr/groups/his/replication", null)).get("exceeded").asBoolean()).isFalse();

        String plan = "{\"id\":\"his-plan\",\"groupId\":\"his\",\"testNetwork\":\"his-drill\",\"autoCleanup\":false,"
                + "\"workloads\":[{\"workload\":\"db\",\"priority\":1,\"dependsOn\":[%s]},"
                + "{\"workload\":\"web\",\"priority\":2,\"dependsOn\":[\"db\"],"
                + "\"hooks\":[{\"name\":\"up\",\"kind\":\"SCRIPT\",\"target\":\"true\",\"timeoutSeconds\":5}]}]}";
        JsonNode cycle = problem(call("admin", "POST", "/api/v1/dr/plans", plan.formatted("\"web\"")), 400);
        assertThat(cycle.get("field").asText()).endsWith("dependsOn");
        String mapped = plan.formatted("").replace("\"autoCleanup\":false,", "\"autoCleanup\":false,\"networks\":[{"
                + "\"production\":\"health\",\"recovery\":\"health\",\"recoveryCidr\":\"%s\",\"addresses\":{\"db\":\"10.20.0.10\"}}],");
        assertThat(problem(call("admin", "POST", "/api/v1/dr/plans", mapped.formatted("10.20.0.0/33")), 400).get("field")
                .asText()).isEqualTo("networks[0].recoveryCidr");
        JsonNode k8s = problem(call("admin", "POST", "/api/v1/dr/plans", mapped.formatted("10.20.0.0/24")), 400);
        assertThat(k8s.get("field").asText()).isEqualTo("networks[0].recoveryCidr");
        assertThat(k8s.get("detail").asText()).contains("assigns workload addresses itself");
        assertThat(call("admin", "POST", "/api/v1/dr/plans", plan.formatted("")).statusCode()).isEqualTo(201);

        JsonNode refused = problem(call("admin", "POST", "/api/v1/dr/plans/his-plan/runs", "{\"operation\":\"failover\"}"), 400);
        assertThat(refused.get("field").asText()).isEqualTo("confirmed");
        HttpResponse<String> started = call("admin", "POST", "/api/v1/dr/plans/his-plan/runs", "{\"operation\":\"drill\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String run = body(started).get("id").asText();
        JsonNode done = body(call("admin", "GET", "/api/v1/dr/runs/" + run + "?wait=5", null));
        assertThat(done.get("state").asText()).isEqualTo("TEST_COMPLETE");
        assertThat(done.get("steps")).hasSize(6);
        problem(call("admin", "POST", "/api/v1/dr/plans/his-plan/runs", "{\"operation\":\"planned_migration\"}"), 409);

        JsonNode report = body(call("admin", "GET", "/api/v1/dr/runs/" + run + "/report", null));
        assertThat(report.get("rtoByPriority").has("2")).isTrue();
        HttpResponse<String> html = call("admin", "GET", "/api/v1/dr/runs/" + run + "/report.html", null);
        assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(html.body()).contains("Measured RTO", "his-drill/web");
        HttpResponse<byte[]> pdf = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/dr/runs/" + run
                + "/report.pdf")).header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + PASSWORDS.get("admin")).getBytes(StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf.body())) {
            assertThat(new org.apache.pdfbox.text.PDFTextStripper().getText(doc)).contains("Recovery plan his-plan",
                    "Measured RTO", "his-drill/web");
        }

        HttpResponse<String> cleanup = call("admin", "POST", "/api/v1/dr/runs/" + run + "/cleanup", null);
        assertThat(cleanup.statusCode()).as(cleanup.body()).isEqualTo(202);
        String cleanupRun = body(cleanup).get("id").asText();
        assertThat(body(call("admin", "GET", "/api/v1/dr/runs/" + cleanupRun + "?wait=5", null)).get("state").asText())
                .isEqualTo("SUCCEEDED");
        assertThat(body(call("admin", "GET", "/api/v1/dr/plans/his-plan/runs", null))).hasSize(2);
        assertThat(platform.auditTrail()).extracting(AuditEvent::action).contains("dr.group.create", "dr.run.start",
                "dr.run.cleanup");
        problem(call("bob", "GET", "/api/v1/dr/groups/his", null), 404);

        platform.scheduleDrills("his-plan=P1D");
        JsonNode schedules = body(call("admin", "GET", "/api/v1/dr/schedules", null));
        assertThat(schedules).hasSize(1);
        assertThat(schedules.get(0).get("schedule").asText()).isEqualTo("P1D");
        assertThat(schedules.get(0).get("nextRuns")).hasSize(5);
        assertThat(schedules.get(0).get("history")).isEmpty();
        assertThat(body(call("bob", "GET", "/api/v1/dr/schedules", null))).isEmpty();
    }
}
