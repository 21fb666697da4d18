package org.tianshu.api.plane;

/** Where a business plane stands; the journal of an apply goes PLANNED, RESERVED, PUSHED, VERIFIED. */
public enum PlaneState {
    /** Prefixes and SIDs planned and stored, nothing reserved yet. */
    PLANNED,
    /** Bandwidth admitted and reserved on its paths. */
    RESERVED,
    /** Configuration pushed to the controller. */
    PUSHED,
    /** Read back from the network and found as planned: live. */
    VERIFIED,
    /** Live, but its paths could not be restored after a topology change; the message says why. */
    DEGRADED,
    /** Being removed (reservations, controller configuration, prefixes). */
    DELETING
}
