package org.tianshu.adapter.opendaylight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Path;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;

class RouterPartTest {

    @Test
    void splitsByHeadEndAndMergesBackInOrder() throws Exception {
        PlaneRealisation egov = Planes.egov();
        Map<String, RouterPart> parts = RouterPart.split(egov);

        assertThat(parts).containsOnlyKeys("r2", "r3");
        assertThat(parts.get("r2").sites()).extracting(RouterPart.Site::name).containsExactly("hz-a");
        assertThat(parts.get("r2").policies()).extracting(RouterPart.Policy::position).containsExactly(0, 1);
        assertThat(parts.get("r2").policies().get(0).destinationIpv6()).isEqualTo("2409:8000:1:200::/56");
        assertThat(parts.get("r2").policies().get(0).destinationIpv4()).isEqualTo("10.16.2.0/24");
        assertThat(parts.get("r3").policies()).extracting(RouterPart.Policy::position).containsExactly(2);

        // through the JSON RESTCONF carries, with lists shuffled as the controller returns them
        Map<String, RouterPart> read = new TreeMap<>();
        for (var e : parts.entrySet()) {
            var body = Restconf.JSON.readTree(Restconf.JSON.writeValueAsString(e.getValue().toJson()));
            var entry = (com.fasterxml.jackson.databind.node.ObjectNode) body.path(RouterPart.PLANE).path(0);
            for (var policy : entry.path("policy")) {
                var segments = (com.fasterxml.jackson.databind.node.ArrayNode) policy.path("segment");
                if (segments.size() > 1) {
                    segments.insert(0, segments.remove(segments.size() - 1));
                }
            }
            read.put(e.getKey(), RouterPart.fromJson(entry));
        }
        assertThat(read).isEqualTo(parts);
        assertThat(RouterPart.merge("egov-office", 100, read)).isEqualTo(egov);
    }

    @Test
    void namesTheFieldOfAnInconsistentPlane() {
        SiteBinding a = new SiteBinding("a", Attachment.parse("r2/p1"), "2409::/56", null, "fd00:0:2::a");
        SrPolicy toNowhere = new SrPolicy("a", "b", List.of("fd00:0:3::a"), new Path(List.of(), List.of(), 0), false);
        assertThatThrownBy(() -> RouterPart.split(new PlaneRealisation("p", 7, List.of(a), List.of(toNowhere))))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
                    assertThat(e.field()).isEqualTo("policies[0].to");
                });
        assertThatThrownBy(() -> RouterPart.split(new PlaneRealisation("p", 7, List.of(a, a), List.of())))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("sites[1].site"));
        assertThatThrownBy(() -> RouterPart.split(new PlaneRealisation("p", 0, List.of(a), List.of())))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("table"));
        SrPolicy backwards = new SrPolicy("a", "a", List.of("fd00:0:2::a"), new Path(List.of(), List.of(), -1), false);
        assertThatThrownBy(() -> RouterPart.split(new PlaneRealisation("p", 7, List.of(a), List.of(backwards))))
                .isInstanceOfSatisfying(TianshuException.class,
                        e -> assertThat(e.field()).isEqualTo("policies[0].path.latencyMicros"));
        SrPolicy empty = new SrPolicy("a", "a", List.of(), null, false);
        assertThatThrownBy(() -> RouterPart.split(new PlaneRealisation("p", 7, List.of(a), List.of(empty))))
                .isInstanceOfSatisfying(TianshuException.class,
                        e -> assertThat(e.field()).isEqualTo("policies[0].segments"));
    }

    @Test
    void encodesKeysForThePath() {
        assertThat(Restconf.key("egov office/1,a")).isEqualTo("egov%20office%2F1%2Ca");
        assertThat(Restconf.key("video-1.x_y~")).isEqualTo("video-1.x_y~");
    }
}
