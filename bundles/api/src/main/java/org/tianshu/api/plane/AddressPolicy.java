package org.tianshu.api.plane;

/** What becomes of a migrated site's addresses. */
public enum AddressPolicy {
    /** The site keeps its private network's prefixes inside the plane (they must not overlap anything planned). */
    KEEP,
    /** The site gets prefixes planned out of the pools; the old-to-new mapping is recorded for renumbering or NAT. */
    MAP
}
