package org.tianshu.api.scheduling;

/** The hard constraints, as named in explanations of why a cloud or host was rejected or a request refused. */
public enum Constraint {
    /** The cloud is not among the request's allowed clouds. */
    ALLOWED_CLOUDS,
    /** The cloud's MLPS security zone is below the request's minimum. */
    SECURITY_ZONE,
    /** The request needs a 信创 cloud and this one is not. */
    XINCHUANG,
    /** The cloud is not in the city the data must stay in. */
    RESIDENCY,
    /** The cloud's settings (e.g. an overcommit option) are invalid, so nothing is placed on it. */
    CLOUD_SETTINGS,
    /** The host is down or not schedulable. */
    HOST_DOWN,
    /** The host is not in an allowed availability zone. */
    ZONE,
    /** The host does not report the requested GPU model. */
    GPU_TYPE,
    /** Members of the affinity group are on another host. */
    AFFINITY,
    /** The host already holds a member of the anti-affinity group. */
    ANTI_AFFINITY,
    /** No further availability zone is left for another member of an HA group. */
    SPREAD_ZONES,
    /** Not enough free capacity (after overcommit); the reason names what was short. */
    CAPACITY,
    /** The department's quota refused the reservation. */
    QUOTA,
    /** The cloud's own API refused to create the workload there (its capacity or its own quota), after it was chosen. */
    CLOUD_REFUSED
}
