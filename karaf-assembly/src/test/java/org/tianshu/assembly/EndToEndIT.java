package org.tianshu.assembly;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tianshu.api.testing.LabScripts;

/**
 * The foundation issue's "done when", as a cloud operator meets it: the built distribution started by
 * {@code lab/tianshu.sh} on its embedded defaults, the real OpenStack and the Kubernetes lab started by
 * their lab scripts; VMs provisioned through REST and through the shell reach ACTIVE on OpenStack and
 * are deleted cleanly; the runtime killed -9 in the middle of a saga resumes it after restart, with
 * nothing orphaned in the cloud.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {
    /** Ports of its own, so that another Karaf on this machine cannot answer in its place. */
    static final int PORT_BASE = 28181;
    static final String API = "http://127.0.0.1:" + PORT_BASE + "/api/v1";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static Path root;
    static Path runtimeDir;
    static Map<String, String> env;

    @BeforeAll
    static void startEverything() throws Exception {
        root = LabScripts.root();
        runtimeDir = root.resolve("karaf-assembly/target/e2e");
        env = Map.of("TIANSHU_RUNTIME_DIR", runtimeDir.toString(), "TIANSHU_PORT_BASE", Integer.toString(PORT_BASE));
        deleteTree(runtimeDir);
        lab("postgres.sh", "start");
        lab("openstack.sh", "start");
        lab("kubernetes.sh", "start");
        lab("tianshu.sh", "start");
        assertThat(call("PUT", "/credentials/os-lab",
                "{\"values\":{\"username\":\"admin\",\"password\":\"secret\",\"project\":\"admin\"}}").statusCode()).isEqualTo(200);
        assertThat(call("POST", "/clouds", "{\"id\":\"chengdu-os\",\"name\":\"成都 政务云\",\"kind\":\"openstack\",\"city\":\"成都\","
                + "\"region\":\"RegionOne\",\"securityZone\":3,\"endpoint\":\"http://127.0.0.1:5000/v3\",\"credentialsRef\":\"os-lab\"}")
                .statusCode()).isEqualTo(201);
        assertThat(call("POST", "/departments", "{\"id\":\"health\",\"name\":\"省卫生健康委\"}").statusCode()).isEqualTo(201);
        assertThat(call("PUT", "/departments/health/quotas/instances", "{\"limit\":3}").statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stopRuntime() throws Exception {
        lab("tianshu.sh", "stop");
    }

    @Test
    @Order(1)
    void badInputIsRefusedNamingTheFieldAndCreatesNothing() throws Exception {
        JsonNode flavor = json(call("POST", "/workloads", vm("bad", "m9.huge")));
        assertThat(flavor.get("status").asInt()).isEqualTo(404);
        assertThat(flavor.get("field").asText()).isEqualTo("flavor");
        JsonNode missing = json(call("POST", "/workloads", "{\"cloud\":\"chengdu-os\",\"kind\":\"vm\",\"flavor\":\"m1.tiny\"}"));
        assertThat(missing.get("status").asInt()).isEqualTo(400);
        assertThat(call("PUT", "/credentials/bad-pw",
                "{\"values\":{\"username\":\"admin\",\"password\":\"wrong\",\"project\":\"admin\"}}").statusCode()).isEqualTo(200);
        JsonNode refused = json(call("POST", "/clouds", cloud("wrong-pw", "http://127.0.0.1:5000/v3", "bad-pw")));
        assertThat(refused.get("status").asInt()).isEqualTo(400);
        assertThat(refused.get("field").asText()).isEqualTo("credentials");
        JsonNode unreachable = json(call("POST", "/clouds", cloud("nowhere", "http://127.0.0.1:1/v3", "os-lab")));
        assertThat(unreachable.get("status").asInt()).isEqualTo(502);
        assertThat(unreachable.get("field").asText()).isEqualTo("endpoint");
        assertThat(json(call("GET", "/clouds", null)).findValues("id")).extracting(JsonNode::asText).containsExactly("chengdu-os");
        assertThat(json(call("GET", "/workloads", null))).isEmpty();
        assertThat(serversTagged(null)).isEmpty();
    }

    @Test
    @Order(2)
    void vmThroughRestReachesActiveOnOpenStackAndIsDeletedCleanly() throws Exception {
        HttpResponse<String> accepted = call("POST", "/workloads", vm("rest-vm", "m1.tiny"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        JsonNode active = ok(call("GET", location.replace("/api/v1", "") + "?wait=120", null));
        assertThat(active.get("state").asText()).isEqualTo("ACTIVE");
        String id = active.get("id").asText();
        assertThat(serversTagged(id)).hasSize(1);

        assertThat(call("DELETE", "/workloads/" + id, null).statusCode()).isEqualTo(202);
        assertThat(json(call("GET", "/workloads/" + id + "?wait=120", null)).get("state").asText()).isEqualTo("DELETED");
        assertThat(serversTagged(id)).isEmpty();
    }

    @Test
    @Order(3)
    void vmThroughTheShellReachesActiveAndIsDeleted() throws Exception {
        String created = shell("tianshu:vm-create --cloud chengdu-os --department health --flavor m1.tiny --image cirros shell-vm");
        assertThat(created).contains("shell-vm is ACTIVE");
        String id = json(call("GET", "/workloads", null)).findValues("id").stream().map(JsonNode::asText)
                .filter(x -> created.contains(x)).findFirst().orElseThrow();
        assertThat(serversTagged(id)).hasSize(1);
        assertThat(shell("tianshu:workload-delete " + id)).contains("shell-vm deleted");
        assertThat(serversTagged(id)).isEmpty();
    }

    @Test
    @Order(4)
    void runtimeKilledMidSagaResumesAfterRestartWithNothingOrphaned() throws Exception {
        HttpResponse<String> accepted = call("POST", "/workloads", vm("crash-vm", "m1.tiny"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = json(accepted).get("id").asText();
        // kill -9 once the journal says the create call is under way, long before the server is ACTIVE
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"CREATING".equals(json(call("GET", "/workloads/" + id, null)).get("state").asText())) {
            assertThat(System.nanoTime()).as("saga reached CREATING").isLessThan(deadline);
            Thread.sleep(20);
        }
        long pid = Long.parseLong(Files.readString(runtimeDir.resolve("tianshu-karaf-0.1.0-SNAPSHOT/karaf.pid")).trim());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());

        lab("tianshu.sh", "start");
        JsonNode resumed = ok(call("GET", "/workloads/" + id + "?wait=120", null));
        assertThat(resumed.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(serversTagged(id)).hasSize(1);
        assertThat(call("DELETE", "/workloads/" + id, null).statusCode()).isEqualTo(202);
        assertThat(json(call("GET", "/workloads/" + id + "?wait=120", null)).get("state").asText()).isEqualTo("DELETED");
        assertThat(serversTagged(null)).isEmpty();
        JsonNode quota = json(call("GET", "/departments/health/quotas", null));
        assertThat(quota.findValues("used").stream().mapToLong(JsonNode::asLong).sum()).isZero();
    }

    private static String cloud(String id, String endpoint, String credentials) {
        return "{\"id\":\"" + id + "\",\"kind\":\"openstack\",\"city\":\"成都\",\"securityZone\":3,\"endpoint\":\"" + endpoint
                + "\",\"credentialsRef\":\"" + credentials + "\"}";
    }

    private static String vm(String name, String flavor) {
        return "{\"cloud\":\"chengdu-os\",\"name\":\"" + name + "\",\"departmentId\":\"health\",\"kind\":\"vm\",\"flavor\":\""
                + flavor + "\",\"image\":\"cirros\"}";
    }

    /** Servers in the real cloud carrying a Tianshu request tag (or {@code requestId}), after a fresh sync. */
    private static List<JsonNode> serversTagged(String requestId) throws Exception {
        assertThat(call("POST", "/clouds/chengdu-os/sync", null).statusCode()).isEqualTo(200);
        List<JsonNode> tagged = new ArrayList<>();
        for (JsonNode w : json(call("GET", "/inventory/workloads?cloud=chengdu-os", null))) {
            JsonNode r = w.get("requestId");
            if (r != null && !r.isNull() && (requestId == null || requestId.equals(r.asText()))) {
                tagged.add(w);
            }
        }
        return tagged;
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : API + path))
                .timeout(Duration.ofSeconds(180))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("operator:operator".getBytes(UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** The body of a 200 answer; anything else fails with the answer in the message. */
    private static JsonNode ok(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.request().uri() + " answered " + r.body()).isEqualTo(200);
        return json(r);
    }

    /** Runs shell commands through {@code bin/client} as the lab admin and returns what they print. */
    private static String shell(String commands) throws Exception {
        Path client = runtimeDir.resolve("tianshu-karaf-0.1.0-SNAPSHOT/bin/client");
        Process p = new ProcessBuilder("bash", client.toString(), "-u", "admin", "-p", "admin", "-b")
                .redirectErrorStream(true).start();
        p.getOutputStream().write((commands + "\n").getBytes(UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        p.waitFor();
        return out;
    }

    private static void lab(String script, String... args) {
        LabScripts.run(env, script, args);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
