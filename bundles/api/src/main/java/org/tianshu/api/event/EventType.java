package org.tianshu.api.event;

/** What happened. */
public enum EventType {
    /** A cloud resource (VM, container workload, volume...) was created. */
    RESOURCE_CREATED,
    /** A cloud resource was deleted. */
    RESOURCE_DELETED,
    /** A department's use of a quota came near its limit. */
    QUOTA_NEAR_LIMIT,
    /** A department's use of a quota went over its limit. */
    QUOTA_OVER_LIMIT,
    /** A cloud's or host's allocation crossed a capacity threshold. */
    CAPACITY_THRESHOLD,
    /** A network link went down. */
    LINK_DOWN,
    /** A network link came back up. */
    LINK_UP,
    /** A business plane missed its service level objective. */
    PLANE_SLO_VIOLATED,
    /** A business plane meets its service level objective again. */
    PLANE_SLO_RESTORED,
    /** A protection group's recovery point is older than its objective. */
    PROTECTION_RPO_EXCEEDED,
    /** A disaster-recovery step started. */
    DR_STEP_STARTED,
    /** A disaster-recovery step finished. */
    DR_STEP_FINISHED,
    /** A disaster-recovery step failed. */
    DR_STEP_FAILED,
    /** A provisioning saga wrote a step to its journal. */
    PROVISIONING_STEP,
    /** The inventory synced a cloud. */
    CLOUD_SYNCED,
    /** A protected site or cloud cannot be reached; attribute {@code site} or the subject names it. */
    SITE_UNREACHABLE,
    /** A reservation of a business plane got new paths after a link went down; attribute {@code link}. */
    PLANE_REROUTED,
    /** A reservation of a business plane lost its paths after a link went down; attributes {@code link}, {@code refusal}. */
    PLANE_REROUTE_REFUSED,
    /** A human approved or rejected a recommendation; attributes {@code kind}, {@code decision}, {@code by}. */
    RECOMMENDATION_DECIDED,
    /** A business plane was created or changed and verified in the network; subject {@code plane/<name>}, attributes {@code plane}, {@code change}, {@code state}. */
    PLANE_APPLIED,
    /** A business plane was removed from the network; subject {@code plane/<name>}, attribute {@code plane}. */
    PLANE_DELETED,
    /** A business plane lost paths it needs (or could not be pushed); subject {@code plane/<name>}, attributes {@code plane}, {@code reason}. */
    PLANE_DEGRADED
}
