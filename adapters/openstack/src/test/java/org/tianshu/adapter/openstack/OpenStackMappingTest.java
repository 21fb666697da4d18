package org.tianshu.adapter.openstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.tenancy.QuotaResource;

class OpenStackMappingTest {

    @ParameterizedTest
    @CsvSource({"ACTIVE,ACTIVE", "active,ACTIVE", "REBOOT,ACTIVE", "BUILD,BUILDING", "RESIZE,BUILDING",
            "SHUTOFF,STOPPED", "SUSPENDED,STOPPED", "SHELVED_OFFLOADED,STOPPED", "ERROR,ERROR", "UNKNOWN,ERROR",
            "DELETED,GONE", "SOFT_DELETED,GONE"})
    void novaStatusMapsToWorkloadState(String nova, WorkloadState expected) {
        assertThat(OpenStackMapping.state(nova)).isEqualTo(expected);
    }

    @Test
    void absentServerIsGone() {
        assertThat(OpenStackMapping.state(null)).isEqualTo(WorkloadState.GONE);
    }

    @Test
    void projectNamedAfterADepartmentBelongsToIt() {
        Set<String> ignored = Set.of("admin", "service");
        assertThat(OpenStackMapping.department("health", ignored)).isEqualTo("health");
        assertThat(OpenStackMapping.department("public-security", ignored)).isEqualTo("public-security");
    }

    @Test
    void cloudProjectsAndInvalidNamesAreNoDepartment() {
        Set<String> ignored = Set.of("admin", "service");
        assertThat(OpenStackMapping.department("admin", ignored)).isNull();
        assertThat(OpenStackMapping.department("service", ignored)).isNull();
        assertThat(OpenStackMapping.department("Demo Project", ignored)).isNull();
        assertThat(OpenStackMapping.department(null, ignored)).isNull();
    }

    @Test
    void flavorClaimsMillicoresMemoryAndDisk() {
        assertThat(OpenStackMapping.flavor(2, 4096, 40)).isEqualTo(new Resources(2000, 4096, 40, 0));
    }

    @Test
    void quotaConvertsMillicoresToCoresAndLeavesTheRestUnlimited() {
        assertThat(OpenStackMapping.novaQuota(Map.of(QuotaResource.CPU, 8500L, QuotaResource.MEMORY, 16384L)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("cores", 8, "ram", 16384, "instances", -1));
    }

    @Test
    void emptyQuotaIsUnlimitedAndHugeLimitsAreClamped() {
        assertThat(OpenStackMapping.novaQuota(Map.of()))
                .containsExactlyInAnyOrderEntriesOf(Map.of("cores", -1, "ram", -1, "instances", -1));
        assertThat(OpenStackMapping.novaQuota(Map.of(QuotaResource.INSTANCES, 1L << 40, QuotaResource.GPUS, 2L)))
                .containsEntry("instances", Integer.MAX_VALUE).containsEntry("cores", -1);
    }

    @Test
    void zoneIsTheOneListingNovaComputeOnTheHost() {
        var zones = Map.of(
                "internal", Map.of("c1", Set.of("nova-conductor", "nova-scheduler")),
                "az-east", Map.of("c1", Set.of("nova-compute"), "c2", Set.of("nova-compute")));
        assertThat(OpenStackMapping.zone("c1", zones)).isEqualTo("az-east");
        assertThat(OpenStackMapping.zone("c3", zones)).isNull();
    }
}
