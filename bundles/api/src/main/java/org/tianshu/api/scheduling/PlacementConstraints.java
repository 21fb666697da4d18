package org.tianshu.api.scheduling;

import java.util.Set;

/**
 * Hard constraints of a {@link PlacementRequest}; a placement never breaks one.
 *
 * @param allowedClouds clouds the members may go to; empty for any
 * @param minSecurityZone lowest MLPS 2.0 level (1-4) of the cloud's security zone
 * @param xinchuang true if the cloud must be built on domestic (信创) hardware and OS
 * @param residency city whose clouds must hold the data, or null / {@link #PROVINCE} for any cloud of the province
 * @param zones availability zones the members may go to; empty for any
 * @param affinityGroup members of this group, in this and earlier requests, share one host; null for none
 * @param antiAffinityGroup members of this group, in this and earlier requests, never share a host; null for none
 * @param spreadZones true for HA groups: each member in a different availability zone (cloud and zone)
 * @param gpuType GPU model the host must report; null for any (then the demand's GPUs may be of any model)
 */
public record PlacementConstraints(Set<String> allowedClouds, int minSecurityZone, boolean xinchuang, String residency,
        Set<String> zones, String affinityGroup, String antiAffinityGroup, boolean spreadZones, String gpuType) {
    /** The residency that allows every city of the province. */
    public static final String PROVINCE = "province";
    /** No constraint beyond capacity. */
    public static final PlacementConstraints NONE = new PlacementConstraints(Set.of(), 1, false, null, Set.of(), null, null,
            false, null);

    public PlacementConstraints {
        allowedClouds = allowedClouds == null ? Set.of() : Set.copyOf(allowedClouds);
        zones = zones == null ? Set.of() : Set.copyOf(zones);
    }

    /** True if {@link #residency()} allows any city. */
    public boolean anyCity() {
        return residency == null || PROVINCE.equals(residency);
    }
}
