package org.tianshu.api.plane;

/**
 * A backbone router.
 *
 * <p>SID convention shared by the planner and every {@link NetworkController}: the router's End SID is its locator's
 * prefix address with {@code ::1} as interface id (locator {@code fd00:0:3::/48} gives End SID {@code fd00:0:3::1}).
 * The decapsulation SID of plane table {@code T} at a provider edge is the locator's prefix address plus
 * {@code 0xd0000 + T}, i.e. {@code fd00:0:3::d:T} with {@code T} in hex (table 1000 gives {@code fd00:0:3::d:3e8});
 * the planner chooses it and carries it in {@link SiteBinding#decapSid()}. A segment list is the End SIDs of the
 * transit routers the path is steered through, in order, then the tail's decapsulation SID.
 *
 * @param id      unique name, e.g. {@code hz-core-1}
 * @param role    its tier
 * @param city    the city it stands in
 * @param locator its SRv6 locator as an IPv6 prefix string, e.g. {@code fd00:0:1::/48}
 */
public record Router(String id, RouterRole role, String city, String locator) {
}
