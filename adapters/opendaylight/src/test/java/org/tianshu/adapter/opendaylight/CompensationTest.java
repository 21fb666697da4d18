package org.tianshu.adapter.opendaylight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.PlaneRealisation;

/**
 * A write that the controller refuses half-way: the routers already changed get their previous part back. The real
 * controller (see the IT) cannot be made to refuse one router's write on demand, so this runs against a small
 * RESTCONF stand-in that answers as OpenDaylight does (409 data-missing for absent data through a mount) and
 * refuses every PUT to one router with 500.
 */
class CompensationTest {
    private static final String MOUNT = "/restconf/data/network-topology:network-topology/topology=topology-netconf/node=";
    private final Map<String, String> planes = new ConcurrentHashMap<>();
    private volatile String refusing;
    private HttpServer server;
    private OpenDaylightController odl;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/restconf/data/", this::handle);
        server.start();
        odl = new OpenDaylightController(new RestconfSettings("http://127.0.0.1:" + server.getAddress().getPort()
                + "/restconf", "", "", Duration.ofSeconds(2), Duration.ofSeconds(5), "topology-netconf"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aRefusedWriteRestoresTheRoutersAlreadyChanged() {
        PlaneRealisation egov = Planes.egov();
        assertThat(odl.sync(egov)).isEqualTo(2);
        Map<String, String> before = Map.copyOf(planes);

        // the same sites and policies the other way round: both r2 and r3 change, r3 refuses
        PlaneRealisation reversed = new PlaneRealisation(egov.plane(), egov.table(), reversed(egov.sites()),
                reversed(egov.policies()));
        refusing = "r3";
        assertThatThrownBy(() -> odl.sync(reversed)).isInstanceOfSatisfying(TianshuException.class, e -> {
            assertThat(e.kind()).isEqualTo(TianshuException.Kind.UPSTREAM);
            assertThat(e.getMessage()).contains("node=r3").contains("HTTP 500").contains("device r3 is busy");
        });
        assertThat(planes).isEqualTo(before);
        refusing = null;
        assertThat(odl.realised()).containsExactly(egov);
    }

    @Test
    void aRefusedFirstApplyLeavesNothing() {
        refusing = "r3";
        assertThatThrownBy(() -> odl.sync(Planes.video())).isInstanceOf(TianshuException.class);
        assertThat(planes).isEmpty();
    }

    private void handle(HttpExchange x) throws IOException {
        String path = URLDecoder.decode(x.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
        String method = x.getRequestMethod();
        if (path.equals("/restconf/data/network-topology:network-topology/topology=topology-netconf")) {
            answer(x, 200, "{\"network-topology:topology\":[{\"topology-id\":\"topology-netconf\",\"node\":["
                    + node("r2") + "," + node("r3") + "]}]}");
            return;
        }
        String router = path.substring(MOUNT.length(), path.indexOf('/', MOUNT.length()));
        if (path.endsWith("/tianshu-plane:router")) {
            answer(x, 200, "{\"tianshu-plane:router\":{\"id\":\"" + router + "\",\"role\":\"aggregation\","
                    + "\"port\":[{\"name\":\"p1\"},{\"name\":\"p2\"}]}}");
            return;
        }
        if (path.endsWith("/tianshu-plane:planes")) {
            var entries = Restconf.JSON.createArrayNode();
            for (var e : planes.entrySet()) {
                if (e.getKey().startsWith(router + "/")) {
                    entries.add(Restconf.JSON.readTree(e.getValue()).path(RouterPart.PLANE).path(0));
                }
            }
            if (entries.isEmpty()) {
                missing(x);
            } else {
                answer(x, 200, "{\"tianshu-plane:planes\":{\"plane\":" + entries + "}}");
            }
            return;
        }
        String key = router + path.substring(path.lastIndexOf('/'));
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        switch (method) {
            case "PUT" -> {
                if (router.equals(refusing)) {
                    answer(x, 500, "{\"errors\":{\"error\":[{\"error-type\":\"application\",\"error-tag\":"
                            + "\"operation-failed\",\"error-message\":\"device " + router + " is busy\"}]}}");
                } else {
                    planes.put(key, body);
                    answer(x, 201, "");
                }
            }
            case "GET" -> {
                String stored = planes.get(key);
                if (stored == null) {
                    missing(x);
                } else {
                    answer(x, 200, stored);
                }
            }
            case "DELETE" -> {
                if (planes.remove(key) == null) {
                    missing(x);
                } else {
                    answer(x, 204, "");
                }
            }
            default -> answer(x, 405, "");
        }
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> out = new ArrayList<>(list);
        Collections.reverse(out);
        return out;
    }

    private static String node(String id) {
        return "{\"node-id\":\"" + id + "\",\"netconf-node-topology:netconf-node\":{\"connection-status\":\"connected\"}}";
    }

    private static void missing(HttpExchange x) throws IOException {
        answer(x, 409, "{\"errors\":{\"error\":[{\"error-tag\":\"data-missing\",\"error-type\":\"protocol\","
                + "\"error-message\":\"Request could not be completed because the relevant data model content does not exist\"}]}}");
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/yang-data+json");
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
        x.close();
    }
}
