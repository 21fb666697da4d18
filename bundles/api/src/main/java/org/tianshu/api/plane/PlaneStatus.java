package org.tianshu.api.plane;

import java.util.List;

/**
 * A plane's health: its state and whether the network carries what was planned.
 *
 * @param plane    the plane's name
 * @param state    its state
 * @param realised true when the controller's read-back equals the planned realisation
 * @param drift    the differences between plan and network, one line each; empty when realised
 * @param message  the plane's message (why it is degraded or failed), or null
 */
public record PlaneStatus(String plane, PlaneState state, boolean realised, List<String> drift, String message) {
    /** Copies the drift list. */
    public PlaneStatus {
        drift = List.copyOf(drift);
    }
}
