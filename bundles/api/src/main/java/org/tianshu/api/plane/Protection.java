package org.tianshu.api.plane;

/** How a path is protected. */
public enum Protection {
    /** One path. */
    NONE,
    /**
     * 1+1: a primary and a backup path that share no link and no SRLG, both carrying the traffic and both reserving
     * its bandwidth ("dual links").
     */
    ONE_PLUS_ONE_SRLG_DISJOINT
}
