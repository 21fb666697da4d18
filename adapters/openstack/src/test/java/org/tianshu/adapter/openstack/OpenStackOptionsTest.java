package org.tianshu.adapter.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Credentials;

class OpenStackOptionsTest {
    private static Cloud cloud(String endpoint, Map<String, String> options) {
        return new Cloud("c", "C", CloudKind.OPENSTACK, "chengdu", "RegionOne", 3, false, endpoint, "creds", options);
    }

    private static Credentials creds(Map<String, String> values) {
        return new Credentials("creds", values);
    }

    @Test
    void domainsDefaultToDefault() {
        var o = OpenStackOptions.of(cloud("http://k:5000/v3", Map.of()),
                creds(Map.of("username", "u", "password", "p", "project", "admin")));
        assertThat(o.userDomain()).isEqualTo("Default");
        assertThat(o.projectDomain()).isEqualTo("Default");
        assertThat(o.ignoredProjects()).containsExactlyInAnyOrder("admin", "service");
        assertThat(o.projectRole()).isEqualTo("member");
        assertThat(o.defaultNetwork()).isNull();
        assertThat(o.readTimeoutMs()).isEqualTo(60_000);
    }

    @Test
    void optionsOverrideDefaults() {
        var o = OpenStackOptions.of(cloud("http://k:5000/v3", Map.of("network", "gov-net", "projects.ignore",
                "admin, ops ,", "department.role", "admin", "timeout.read.seconds", "5")),
                creds(Map.of("username", "u", "password", "p", "project", "admin", "userDomain", "gov")));
        assertThat(o.userDomain()).isEqualTo("gov");
        assertThat(o.defaultNetwork()).isEqualTo("gov-net");
        assertThat(o.ignoredProjects()).containsExactlyInAnyOrder("admin", "ops");
        assertThat(o.projectRole()).isEqualTo("admin");
        assertThat(o.readTimeoutMs()).isEqualTo(5000);
    }

    @Test
    void missingCredentialKeyIsInvalidCredentials() {
        Map<String, String> values = new HashMap<>(Map.of("username", "u", "project", "admin"));
        assertThatThrownBy(() -> OpenStackOptions.of(cloud("http://k:5000/v3", Map.of()), creds(values)))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
                    assertThat(e.field()).isEqualTo("credentials");
                    assertThat(e.getMessage()).contains("password");
                });
    }

    @Test
    void missingEndpointIsInvalidEndpoint() {
        assertThatThrownBy(() -> OpenStackOptions.of(cloud(" ", Map.of()), creds(Map.of())))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("endpoint"));
    }

    @Test
    void badTimeoutIsInvalid() {
        assertThatThrownBy(() -> OpenStackOptions.of(cloud("http://k:5000/v3", Map.of("timeout.read.seconds", "x")),
                creds(Map.of("username", "u", "password", "p", "project", "admin"))))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
                    assertThat(e.getMessage()).contains("timeout");
                });
    }
}
