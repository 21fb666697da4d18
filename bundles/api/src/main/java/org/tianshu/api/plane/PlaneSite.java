package org.tianshu.api.plane;

/**
 * A site (endpoint) of a business plane.
 *
 * @param name           unique within the plane, lower-case id, e.g. {@code hz-office}
 * @param attachment     where it attaches to the backbone, one of the controller's attachments
 * @param keepIpv6Prefix for a site migrated from a private network: the IPv6 prefix it keeps instead of one out of
 *                       the province's pool, e.g. {@code 2409:8a00:12::/56}; null to get one planned
 * @param keepIpv4Prefix the same for IPv4 on dual-stack planes, e.g. {@code 172.20.5.0/24}; null to get one planned
 */
public record PlaneSite(String name, Attachment attachment, String keepIpv6Prefix, String keepIpv4Prefix) {
    /** A site whose prefixes are planned. */
    public PlaneSite(String name, Attachment attachment) {
        this(name, attachment, null, null);
    }
}
