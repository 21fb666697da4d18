package org.tianshu.api.plane;

/**
 * One site of a business plane as the network realises it.
 *
 * @param site       the site's name in the plane's intent, e.g. {@code hz-office}
 * @param attachment where the site attaches
 * @param ipv6Prefix the IPv6 prefix planned for the site, e.g. {@code 2409:8000:1:100::/56}
 * @param ipv4Prefix the IPv4 prefix for dual-stack planes, e.g. {@code 10.16.1.0/24}; null for IPv6-only planes
 * @param decapSid   the SRv6 SID at the site's provider edge that decapsulates the plane's traffic into the plane's
 *                   table (End.DT6, or End.DT46 for dual stack), an address out of that router's locator
 */
public record SiteBinding(String site, Attachment attachment, String ipv6Prefix, String ipv4Prefix, String decapSid) {
}
