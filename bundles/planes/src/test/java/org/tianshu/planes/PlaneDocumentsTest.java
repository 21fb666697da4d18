package org.tianshu.planes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.AddressFamily;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Connectivity;
import org.tianshu.api.plane.Isolation;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.Protection;

class PlaneDocumentsTest {
    private static final String YAML = """
            name: emergency-command
            departments: [emergency]
            connectivity: hub-and-spoke
            hub: hq
            isolation: hard
            slo: {minBandwidthMbps: 50, maxLatencyMs: 8.5, maxLossPercent: 0.1}
            protection: 1+1
            addressFamily: ipv6-only
            sites:
              - name: hq
                attachment: r1/p1
              - name: dr
                attachment: r4/p1
                keepIpv6Prefix: 2409:8a00:12::/56
            """;

    @Test
    void yamlAndJsonGiveTheSameIntent() {
        PlaneIntent i = PlaneDocuments.parse(YAML);
        assertThat(i.name()).isEqualTo("emergency-command");
        assertThat(i.connectivity()).isEqualTo(Connectivity.HUB_AND_SPOKE);
        assertThat(i.hub()).isEqualTo("hq");
        assertThat(i.isolation()).isEqualTo(Isolation.HARD);
        assertThat(i.slo().maxLatencyMs()).isEqualTo(8.5);
        assertThat(i.protection()).isEqualTo(Protection.ONE_PLUS_ONE_SRLG_DISJOINT);
        assertThat(i.addressFamily()).isEqualTo(AddressFamily.IPV6_ONLY);
        assertThat(i.sites().get(1).attachment()).isEqualTo(new Attachment("r4", "p1"));
        assertThat(i.sites().get(1).keepIpv6Prefix()).isEqualTo("2409:8a00:12::/56");
        PlaneIntent json = PlaneDocuments.parse("""
                {"name": "emergency-command", "departments": ["emergency"], "connectivity": "HUB_AND_SPOKE", "hub": "hq",
                 "isolation": "HARD", "slo": {"minBandwidthMbps": 50, "maxLatencyMs": 8.5, "maxLossPercent": 0.1},
                 "protection": "1+1", "addressFamily": "IPV6_ONLY",
                 "sites": [{"name": "hq", "attachment": "r1/p1"},
                           {"name": "dr", "attachment": "r4/p1", "keepIpv6Prefix": "2409:8a00:12::/56"}]}
                """);
        assertThat(json).isEqualTo(i);
        // defaults
        PlaneIntent minimal = PlaneDocuments.parse("name: x\ndepartments: [d]\nsites: [{name: a, attachment: r1/p1}]\n");
        assertThat(minimal.isolation()).isEqualTo(Isolation.SHARED_QOS);
        assertThat(minimal.addressFamily()).isEqualTo(AddressFamily.DUAL_STACK);
    }

    @Test
    void everyMistakeNamesItsField() {
        assertField(YAML.replace("attachment: r4/p1", "atachment: r4/p1"), "sites[1].atachment");
        assertField(YAML.replace("hub: hq", "hubb: hq"), "hubb");
        assertField(YAML.replace("minBandwidthMbps: 50", "minBandwidthMbps: -5"), "slo.minBandwidthMbps");
        assertField(YAML.replace("minBandwidthMbps: 50", "minBandwidthMbps: 5.5"), "slo.minBandwidthMbps");
        assertField(YAML.replace("maxLatencyMs: 8.5", "maxLatencyMs: fast"), "slo.maxLatencyMs");
        assertField(YAML.replace("protection: 1+1", "protection: 2+2"), "protection");
        assertField(YAML.replace("isolation: hard", "isolation: total"), "isolation");
        assertField(YAML.replace("attachment: r1/p1", "attachment: r1"), "sites[0].attachment");
        assertField("name: [x]", "name");
        assertField("- a\n- b", "document");
        assertField("name: x\n  bad: : indent", "document");
    }

    private static void assertField(String doc, String field) {
        assertThatThrownBy(() -> PlaneDocuments.parse(doc)).isInstanceOfSatisfying(TianshuException.class, e -> {
            assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
            assertThat(e.field()).isEqualTo(field);
        });
    }

    @Test
    void theLabsDemoPlanesParse() throws Exception {
        Path dir = Path.of("../../lab/planes");
        try (var files = Files.list(dir)) {
            var yaml = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertThat(yaml).hasSizeGreaterThanOrEqualTo(3);
            for (Path f : yaml) {
                PlaneIntent i = PlaneDocuments.parse(Files.readString(f));
                assertThat(f.getFileName().toString()).isEqualTo(i.name() + ".yaml");
            }
        }
        try (var files = Files.list(dir.resolve("migrations"))) {
            for (Path f : files.toList()) {
                assertThat(PlaneDocuments.parseMigration(Files.readString(f)).network() + ".yaml").isEqualTo(f.getFileName().toString());
            }
        }
    }
}
