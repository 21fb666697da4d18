package org.tianshu.api.plane;

import java.util.List;

/**
 * A plane's health: its state, whether the network carries what was planned, and whether it meets its SLOs.
 *
 * @param plane     the plane's name
 * @param state     its state
 * @param realised  true when the controller's read-back equals the planned realisation
 * @param drift     the differences between plan and network, one line each; empty when realised
 * @param message   the plane's message (why it is degraded or failed), or null
 * @param compliant whether the last verification found every SLO and the isolation met; null when the plane was not
 *                  verified by probes yet (no probe available, or not yet run)
 * @param checks    the last verification's measurements, one per site pair, family and isolation check
 */
public record PlaneStatus(String plane, PlaneState state, boolean realised, List<String> drift, String message, Boolean compliant,
        List<SloCheck> checks) {
    /** Copies the lists. */
    public PlaneStatus {
        drift = List.copyOf(drift);
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** A status without probe verification. */
    public PlaneStatus(String plane, PlaneState state, boolean realised, List<String> drift, String message) {
        this(plane, state, realised, drift, message, null, List.of());
    }
}
