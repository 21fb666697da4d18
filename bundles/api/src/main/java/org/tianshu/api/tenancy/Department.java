package org.tianshu.api.tenancy;

/**
 * A government department: the tenant that owns workloads and receives quotas.
 *
 * @param id identifier, e.g. {@code health}
 * @param name display name, e.g. 省卫生健康委
 * @param contact responsible person or mailbox, may be null
 */
public record Department(String id, String name, String contact) {
}
