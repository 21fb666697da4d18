package org.tianshu.api.plane;

/**
 * What became of one reservation that crossed a link that went down.
 *
 * @param id      the reservation id
 * @param before  its paths before the failure
 * @param after   its new paths, admitted; null when it was refused (its reservation is then released)
 * @param refusal why no new paths could be admitted, the message of the CONFLICT a fresh request would get; null when
 *                re-routed
 */
public record Reroute(String id, PathAnswer before, PathAnswer after, String refusal) {
    /** True when the reservation has new paths. */
    public boolean rerouted() {
        return after != null;
    }
}
