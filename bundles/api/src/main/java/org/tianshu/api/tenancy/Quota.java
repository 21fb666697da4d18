package org.tianshu.api.tenancy;

/**
 * A department's limit on one resource, in every cloud or in one, with what is used.
 *
 * @param departmentId the department
 * @param cloudId the cloud, or {@link #ALL_CLOUDS}
 * @param resource what is limited
 * @param limit the limit, in the resource's unit
 * @param used what reservations hold now
 */
public record Quota(String departmentId, String cloudId, QuotaResource resource, long limit, long used) {
    /** The cloudId of a limit that spans every cloud. */
    public static final String ALL_CLOUDS = "*";
}
