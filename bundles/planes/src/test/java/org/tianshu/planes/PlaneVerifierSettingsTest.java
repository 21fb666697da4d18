package org.tianshu.planes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tianshu.api.TianshuException;

/** The verifier's settings (metatype {@code verify.*}): bad values name their field. */
class PlaneVerifierSettingsTest {
    @Test
    void withoutARateDurationThereAreNoRateProbes() {
        assertThat(new PlaneVerifier.Settings(100, 8).rate()).isZero();
        assertThat(new PlaneVerifier.Settings(100, 8, Duration.ofMillis(100)).rate()).hasMillis(100);
        assertThat(new PlaneVerifier.Settings(100, 8, Duration.ofSeconds(10)).rate()).hasSeconds(10);
    }

    @Test
    void badValuesNameTheirField() {
        assertInvalid(() -> new PlaneVerifier.Settings(0, 8), "probes");
        assertInvalid(() -> new PlaneVerifier.Settings(100, 65), "parallelism");
        assertInvalid(() -> new PlaneVerifier.Settings(100, 8, Duration.ofMillis(99)), "rate");
        assertInvalid(() -> new PlaneVerifier.Settings(100, 8, Duration.ofSeconds(11)), "rate");
        assertInvalid(() -> new PlaneVerifier.Settings(100, 8, Duration.ofMillis(-1)), "rate");
        assertInvalid(() -> new PlaneVerifier.Settings(100, 8, null), "rate");
    }

    static void assertInvalid(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TianshuException.class, e -> {
            assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
            assertThat(e.field()).isEqualTo(field);
        });
    }
}
