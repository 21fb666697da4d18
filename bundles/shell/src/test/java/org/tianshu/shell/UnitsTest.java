package org.tianshu.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tianshu.api.TianshuException;

class UnitsTest {
    @ParameterizedTest
    @CsvSource({"500m,500", "2,2000", "0.5,500", "1.25,1250", "250M,250", " 4 ,4000", "1500m,1500"})
    void cpu(String text, long millis) {
        assertThat(Units.cpuMillis("cpu", text)).isEqualTo(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "0", "0m", "2x", "0.0005", "1.5.2", "500 mc"})
    void badCpuNamesTheField(String text) {
        assertThatThrownBy(() -> Units.cpuMillis("cpu", text)).isInstanceOfSatisfying(TianshuException.class, e -> {
            assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
            assertThat(e.field()).isEqualTo("cpu");
            assertThat(e.getMessage()).startsWith("cpu ");
        });
    }

    @ParameterizedTest
    @CsvSource({"512Mi,512", "2Gi,2048", "1.5Gi,1536", "1Ti,1048576", "1G,954", "100Ki,1", "256,256",
        "1048576Ki,1024", "3gi,3072"})
    void memory(String text, long mib) {
        assertThat(Units.mebibytes("memory", text)).isEqualTo(mib);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lots", "0Mi", "1.5", "2Qi", "-512Mi"})
    void badMemoryNamesTheField(String text) {
        assertThatThrownBy(() -> Units.mebibytes("memory", text)).isInstanceOfSatisfying(TianshuException.class,
                e -> assertThat(e.field()).isEqualTo("memory"));
    }

    @Test
    void diskAndCounts() {
        assertThat(Units.gibibytes("limit", "100Gi")).isEqualTo(100);
        assertThat(Units.gibibytes("limit", "2Ti")).isEqualTo(2048);
        assertThat(Units.gibibytes("limit", "40")).isEqualTo(40);
        assertThat(Units.count("limit", "12")).isEqualTo(12);
        assertThat(Units.count("limit", "0")).isZero();
        assertThatThrownBy(() -> Units.count("limit", "-3")).hasMessageContaining("limit");
        assertThatThrownBy(() -> Units.count("limit", "2Gi")).isInstanceOf(TianshuException.class);
    }

    @Test
    void quotaLimitsUseTheResourceUnit() {
        assertThat(TenancyCommands.limit(org.tianshu.api.tenancy.QuotaResource.CPU, "8")).isEqualTo(8000);
        assertThat(TenancyCommands.limit(org.tianshu.api.tenancy.QuotaResource.CPU, "500m")).isEqualTo(500);
        assertThat(TenancyCommands.limit(org.tianshu.api.tenancy.QuotaResource.MEMORY, "64Gi")).isEqualTo(65536);
        assertThat(TenancyCommands.limit(org.tianshu.api.tenancy.QuotaResource.DISK, "2Ti")).isEqualTo(2048);
        assertThat(TenancyCommands.limit(org.tianshu.api.tenancy.QuotaResource.INSTANCES, "0")).isZero();
        assertThat(TenancyCommands.show(org.tianshu.api.tenancy.QuotaResource.MEMORY, 65536)).isEqualTo("64Gi");
        assertThat(TenancyCommands.show(org.tianshu.api.tenancy.QuotaResource.CPU, 2500)).isEqualTo("2.5");
    }
}
