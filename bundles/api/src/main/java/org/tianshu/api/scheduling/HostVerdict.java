package org.tianshu.api.scheduling;

/**
 * Why a host was or was not chosen, given on request ({@link PlacementRequest#explainHosts()}).
 *
 * @param cloudId the host's cloud
 * @param host the host name
 * @param rejectedBy the first hard constraint the host failed for the first member, null if eligible
 * @param reason what the constraint found (for {@link Constraint#CAPACITY}: what was short), or the score
 * @param score the host's score for the first member, NaN when rejected
 * @param members how many members of the decision went to this host
 */
public record HostVerdict(String cloudId, String host, Constraint rejectedBy, String reason, double score, int members) {
}
