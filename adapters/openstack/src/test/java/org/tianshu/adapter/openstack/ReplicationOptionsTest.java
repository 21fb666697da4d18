package org.tianshu.adapter.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.dr.WorkloadCopy;

class ReplicationOptionsTest {
    private static Replication replication(Map<String, String> options) {
        Cloud cloud = new Cloud("os", null, CloudKind.OPENSTACK, "chengdu", null, 3, false, "http://127.0.0.1:1/v3", "c",
                options);
        OpenStackOptions o = OpenStackOptions.of(cloud, new Credentials("c", Map.of("username", "u", "password", "p",
                "project", "p")));
        return new Replication(cloud, new Keystone(cloud, o)); // no call to Keystone until a method runs
    }

    @Test
    void timeoutMustBeAPositiveNumberOfSecondsNamingTheOption() {
        assertThatCode(() -> replication(Map.of())).doesNotThrowAnyException();
        assertThatCode(() -> replication(Map.of(Replication.OPT_TIMEOUT, " 30 "))).doesNotThrowAnyException();
        for (String bad : new String[] {"0", "-5", "ten"}) {
            assertThatThrownBy(() -> replication(Map.of(Replication.OPT_TIMEOUT, bad))).as(bad)
                    .isInstanceOfSatisfying(TianshuException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
                        assertThat(e.field()).isEqualTo("options");
                        assertThat(e.getMessage()).contains(Replication.OPT_TIMEOUT, bad);
                    });
        }
    }

    @Test
    void aCopyFromAnotherCloudKindIsRefused() {
        WorkloadCopy k8s = new WorkloadCopy("web", "ns/deployment/web", "ns", "{\"kind\":\"Deployment\"}", Instant.now());
        assertThatThrownBy(() -> replication(Map.of()).keepReady(k8s, "ns"))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("copy"));
    }
}
