package org.tianshu.api.dr;

/**
 * A workload of a protection group.
 *
 * @param name stable name used by recovery plans (a valid identifier)
 * @param externalId the workload's id on the group's current protected cloud
 */
public record ProtectedWorkload(String name, String externalId) {
}
