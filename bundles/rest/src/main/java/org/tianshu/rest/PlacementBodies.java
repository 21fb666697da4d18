package org.tianshu.rest;

import java.util.Set;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.scheduling.Preferences;

/** The JSON shapes of placement constraints and preferences; absent fields take the API's defaults. */
final class PlacementBodies {
    private PlacementBodies() {
    }

    /** {@link PlacementConstraints} with every field optional. */
    record ConstraintsBody(Set<String> allowedClouds, Integer minSecurityZone, Boolean xinchuang, String residency,
            Set<String> zones, String affinityGroup, String antiAffinityGroup, Boolean spreadZones, String gpuType) {
        PlacementConstraints toConstraints() {
            return new PlacementConstraints(allowedClouds, minSecurityZone == null ? 1 : minSecurityZone,
                    Boolean.TRUE.equals(xinchuang), residency, zones, affinityGroup, antiAffinityGroup,
                    Boolean.TRUE.equals(spreadZones), gpuType);
        }
    }

    /** {@link Preferences} with every weight optional (0 when absent); null as a whole for the default. */
    record PreferencesBody(Double pack, Double spread, Double cost, Double energy, Double latency) {
        Preferences toPreferences() {
            return new Preferences(or0(pack), or0(spread), or0(cost), or0(energy), or0(latency));
        }

        private static double or0(Double d) {
            return d == null ? 0 : d;
        }
    }

    static PlacementConstraints constraints(ConstraintsBody b) {
        return b == null ? PlacementConstraints.NONE : b.toConstraints();
    }

    static Preferences preferences(PreferencesBody b) {
        return b == null ? null : b.toPreferences();
    }
}
