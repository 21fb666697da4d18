package org.tianshu.api.plane;

/** How a business plane is isolated from the others on the backbone. */
public enum Isolation {
    /** Its own routing tables and SR policies; bandwidth shared with other planes under QoS, nothing reserved. */
    SHARED_QOS,
    /** Its own routing tables and SR policies, and its minimum bandwidth reserved on every link of its paths. */
    HARD
}
