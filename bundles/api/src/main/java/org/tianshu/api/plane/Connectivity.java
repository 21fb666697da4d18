package org.tianshu.api.plane;

/** Which sites of a business plane reach each other. */
public enum Connectivity {
    /** Every site reaches every other site (full mesh). */
    ANY_TO_ANY,
    /** Spokes reach the hub only, never each other. */
    HUB_AND_SPOKE
}
