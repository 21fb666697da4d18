package org.tianshu.adapter.srv6;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;

/** The kernel configuration a plane renders to, on an empty two-router lab (no kernel: the dumps are empty). */
class PlaneRendererTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static ExecutorService pool = Executors.newSingleThreadExecutor();
    static LabTopology lab;

    /** A kernel with nothing configured: every dump is an empty array. */
    static final IpRoute EMPTY = new IpRoute("ip", Duration.ofSeconds(1)) {
        @Override
        List<JsonNode> read(String namespace, int family, List<String> commands) {
            List<JsonNode> out = new ArrayList<>();
            commands.forEach(c -> out.add(JSON.createArrayNode()));
            return out;
        }
    };

    @BeforeAll
    static void topology(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("topology.json");
        Files.writeString(f, """
                {"routers": [{"id": "r1", "role": "ACCESS", "city": "chengdu", "locator": "fd00:0:1::/48"},
                             {"id": "r2", "role": "ACCESS", "city": "mianyang", "locator": "fd00:0:2::/48"}],
                 "links": [{"id": "r1~r2", "a": "r1", "b": "r2", "capacityMbps": 100, "latencyMicros": 500, "srlgs": ["duct"]}],
                 "attachments": [{"router": "r1", "port": "p1"}, {"router": "r2", "port": "p1"}]}
                """);
        lab = LabTopology.read(f, "ts-");
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    static List<String> render(PlaneRealisation p) {
        return new PlaneRenderer(lab).render(p, Snapshot.read(lab, EMPTY, pool)).stream()
                .map(o -> o.namespace() + " -" + o.family() + " " + o.add()).toList();
    }

    static PlaneRealisation plane(String v4a, String v4b, List<SrPolicy> policies) {
        return new PlaneRealisation("egov", 100, List.of(
                new SiteBinding("a", new Attachment("r1", "p1"), "2409:8000:1:100::/56", v4a, "fd00:0:1::64"),
                new SiteBinding("b", new Attachment("r2", "p1"), "2409:8000:1:200::/56", v4b, "fd00:0:2::64")), policies);
    }

    @Test
    void aDualStackSiteAndItsPolicy() {
        assertThat(render(plane("10.1.1.0/24", "10.1.2.0/24",
                List.of(new SrPolicy("a", "b", List.of("fd00:0:2::64"), null, false)))))
                .contains("ts-r1 -6 link set dev p1 alias tianshu:egov/a",
                        "ts-r1 -6 rule add iif p1 lookup 100 pref 1000",
                        "ts-r1 -4 rule add iif p1 lookup 100 pref 1000",
                        "ts-r1 -6 address add 2409:8000:1:100::2/56 dev p1 nodad noprefixroute",
                        "ts-r1 -4 address add 10.1.1.2/24 dev p1 noprefixroute",
                        "ts-r1 -6 route add unreachable default table 100",
                        "ts-r1 -6 route add 2409:8000:1:100::/56 dev p1 table 100",
                        "ts-r1 -6 route add fd00:0:1::64/128 encap seg6local action End.DT6 table 100 dev p1",
                        "ts-r1 -6 route add fd00:0:1::4:0:64/128 encap seg6local action End.DX4 nh4 10.1.1.1 dev p1",
                        "ts-r1 -4 route add 10.1.1.1/32 dev p1",
                        "ts-h-r1-p1 -6 address add 2409:8000:1:100::1/56 dev eth0 nodad",
                        "ts-h-r1-p1 -6 route add default via 2409:8000:1:100::2 dev eth0",
                        "ts-h-r1-p1 -4 route add default via 10.1.1.2 dev eth0",
                        // a policy without a path is never held back by link state
                        "ts-r1 -6 route add 2409:8000:1:200::/56 encap seg6 mode encap segs fd00:0:2::64 dev p1 table 100 metric 100",
                        "ts-r1 -4 route add 10.1.2.0/24 encap seg6 mode encap segs fd00:0:2::4:0:64 dev p1 table 100 metric 100")
                .noneMatch(l -> l.startsWith("ts-r2") && l.contains("encap seg6 "));
    }

    @Test
    void aPrimaryWhosePathIsDownYieldsToItsBackup() {
        var path = new org.tianshu.api.plane.Path(List.of("r1", "r2"), List.of("r1~r2"), 500);
        assertThat(render(plane(null, null, List.of(new SrPolicy("a", "b", List.of("fd00:0:2::64"), path, false),
                new SrPolicy("a", "b", List.of("fd00:0:2::64"), null, true)))))
                .contains("ts-r1 -6 route add 2409:8000:1:200::/56 encap seg6 mode encap segs fd00:0:2::64 dev p1 table 100 metric 300",
                        "ts-r1 -6 route add 2409:8000:1:200::/56 encap seg6 mode encap segs fd00:0:2::64 dev p1 table 100 metric 200")
                .noneMatch(l -> l.contains(" -4 "));
    }

    @Test
    void refusalsNameTheField() {
        assertField(plane("10.1.1.0/24", "10.1.2.0/24", List.of(new SrPolicy("a", "b", List.of("fd00:0:9::1"), null, false))),
                "policies[0].segments");
        assertField(plane("10.1.1.0/24", "10.1.2.0/25", List.of(new SrPolicy("a", "a", List.of("fd00:0:1::64"), null, false))),
                "policies[0].to");
        assertField(plane("10.1.1.0/31", null, List.of()), "sites[0].ipv4Prefix");
        assertField(new PlaneRealisation("egov", 100, List.of(
                new SiteBinding("a", new Attachment("r1", "p1"), "2409:8000:1:100::/56", "10.1.1.0/24", "fd00:0:1::4:0:64")),
                List.of()), "sites[0].decapSid");
        assertField(new PlaneRealisation("eg ov", 100, List.of(), List.of()), "plane");
        assertField(new PlaneRealisation("egov", 0, List.of(), List.of()), "table");
        PlaneRealisation twice = plane(null, null, List.of(new SrPolicy("a", "b", List.of("fd00:0:2::64"), null, false),
                new SrPolicy("a", "b", List.of("fd00:0:1::1", "fd00:0:2::64"), null, false)));
        assertField(twice, "policies[1]");
    }

    static void assertField(PlaneRealisation p, String field) {
        assertThatThrownBy(() -> render(p)).isInstanceOfSatisfying(TianshuException.class,
                e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field));
    }
}
