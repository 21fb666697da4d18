package org.tianshu.api.plane;

/**
 * A backbone router.
 *
 * @param id      unique name, e.g. {@code hz-core-1}
 * @param role    its tier
 * @param city    the city it stands in
 * @param locator its SRv6 locator as an IPv6 prefix string, e.g. {@code fd00:0:1::/48}
 */
public record Router(String id, RouterRole role, String city, String locator) {
}
