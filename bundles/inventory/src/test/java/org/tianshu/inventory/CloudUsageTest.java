package org.tianshu.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.CloudStatus;
import org.tianshu.api.scheduling.Usage;

class CloudUsageTest {
    static final Usage NODE = new Usage("chengdu-k8s", "node-1", null, 0.4, Instant.parse("2026-11-23T10:00:00Z"));
    static final Usage WORKLOAD = new Usage("chengdu-k8s", "node-1", "dept/deployment/web", 0.02, Instant.parse("2026-11-23T10:00:00Z"));

    /** A session whose usage() answers {@code usage}, or throws when it is null. */
    static CloudSession session(List<Usage> usage) {
        return (CloudSession) Proxy.newProxyInstance(CloudSession.class.getClassLoader(), new Class<?>[] {CloudSession.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("usage")) {
                        throw new UnsupportedOperationException(method.getName() + " is not used by CloudUsage");
                    }
                    if (usage == null) {
                        throw new TianshuException(TianshuException.Kind.UPSTREAM, "endpoint", "cluster mianyang-k8s cannot be reached");
                    }
                    return usage;
                });
    }

    static Cloud cloud(String id) {
        return new Cloud(id, id, CloudKind.KUBERNETES, "chengdu", "sc", 3, false, "http://127.0.0.1:1", "k8s", Map.of());
    }

    @Test
    void gathersEveryCloudsOwnUsageAndLeavesOutACloudThatFails() {
        Map<String, CloudSession> sessions = Map.of("chengdu-k8s", session(List.of(NODE, WORKLOAD)),
                "mianyang-k8s", session(null), "zigong-os", session(List.of()));
        CloudService clouds = new CloudService() {
            @Override
            public List<Cloud> list() {
                return List.of(cloud("chengdu-k8s"), cloud("mianyang-k8s"), cloud("zigong-os"));
            }

            @Override
            public Cloud get(String id) {
                return cloud(id);
            }

            @Override
            public CloudStatus status(String id) {
                return null;
            }

            @Override
            public CloudSession session(String id) {
                return sessions.get(id);
            }
        };
        CloudUsage usage = new CloudUsage(clouds);
        assertThat(usage.sample()).containsExactly(NODE, WORKLOAD);
        assertThat(usage.sample()).as("again, the failing cloud still left out").containsExactly(NODE, WORKLOAD);
    }
}
