package org.tianshu.api.plane;

/**
 * A site of a department's private network, to be cut over into a business plane.
 *
 * @param name       its name, which it keeps in the plane
 * @param attachment where it will attach to the backbone
 * @param ipv6Prefix its IPv6 prefix in the private network; null if it has none
 * @param ipv4Prefix its IPv4 prefix in the private network; null if it has none
 * @param policy     keep or map its addresses
 */
public record LegacySite(String name, Attachment attachment, String ipv6Prefix, String ipv4Prefix, AddressPolicy policy) {
    /** Null policy means {@link AddressPolicy#KEEP}. */
    public LegacySite {
        policy = policy == null ? AddressPolicy.KEEP : policy;
    }
}
