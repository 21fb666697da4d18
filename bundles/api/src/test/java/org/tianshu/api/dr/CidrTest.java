package org.tianshu.api.dr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tianshu.api.TianshuException;

class CidrTest {
    @Test
    void parsesContainsAndTranslatesKeepingTheHostPart() {
        Cidr prod = Cidr.parse("p", "10.10.0.0/24");
        Cidr rec = Cidr.parse("r", "10.77.0.0/24");
        assertThat(prod.toString()).isEqualTo("10.10.0.0/24");
        assertThat(prod.contains("10.10.0.216")).isTrue();
        assertThat(prod.contains("10.10.1.1")).isFalse();
        assertThat(prod.contains("not-an-address")).isFalse();
        assertThat(prod.translate("10.10.0.216", rec)).isEqualTo("10.77.0.216");
        assertThat(prod.translate("10.11.0.216", rec)).isNull();
        assertThat(Cidr.parse("p", "10.10.0.0/16").translate("10.10.3.7", Cidr.parse("r", "172.16.0.0/24")))
                .as("host part too big for the recovery subnet").isNull();
        assertThat(Cidr.parse("p", "fd00:1::/64").translate("fd00:1::2a", Cidr.parse("r", "fd00:9::/64")))
                .isEqualTo("fd00:9:0:0:0:0:0:2a");
        assertThat(Cidr.parse("p", "fd00:1::/64").sameFamily(prod)).isFalse();
    }

    @Test
    void badSubnetsAndAddressesNameTheField() {
        for (String bad : new String[] {"10.10.0.0", "10.10.0.0/33", "10.10.0.1/24", "example.org/24", "10.10.0.0/x", ""}) {
            assertThatThrownBy(() -> Cidr.parse("networks[0].recoveryCidr", bad)).as(bad)
                    .isInstanceOfSatisfying(TianshuException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
                        assertThat(e.field()).isEqualTo("networks[0].recoveryCidr");
                    });
        }
        assertThatThrownBy(() -> Cidr.address("a", "10.20.0.5", Cidr.parse("r", "10.77.0.0/24")))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.getMessage()).contains("outside"));
        assertThatThrownBy(() -> Cidr.address("a", "localhost", null)).isInstanceOf(TianshuException.class);
    }

    @Test
    void mappingGivesExplicitAddressesFirstThenTranslatesAndReverses() {
        NetworkMapping m = new NetworkMapping("lab-net", "dr-net", "10.10.0.0/24", "10.77.0.0/24", Map.of("db", "10.77.0.5"));
        assertThat(m.customisesAddresses()).isTrue();
        assertThat(m.recoveryAddress("db", "10.10.0.9")).isEqualTo("10.77.0.5");
        assertThat(m.recoveryAddress("web", "10.10.0.9")).isEqualTo("10.77.0.9");
        assertThat(m.recoveryAddress("web", null)).isNull();
        NetworkMapping back = m.reversed();
        assertThat(back.production()).isEqualTo("dr-net");
        assertThat(back.recoveryAddress("db", "10.77.0.5")).isEqualTo("10.10.0.5");
        assertThat(new NetworkMapping("a", "b").customisesAddresses()).isFalse();
        assertThat(new NetworkMapping("a", "b").recoveryAddress("db", "10.10.0.9")).isNull();
    }
}
