package org.tianshu.api.scheduling;

/**
 * Where one member of a request goes.
 *
 * @param member index of the member, 0 to count - 1
 * @param cloudId the cloud
 * @param host the host or node in that cloud
 * @param zone the host's availability zone, null if it reports none
 */
public record MemberPlacement(int member, String cloudId, String host, String zone) {
}
