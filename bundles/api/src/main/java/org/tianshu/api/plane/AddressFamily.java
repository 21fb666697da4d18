package org.tianshu.api.plane;

/** The address families a business plane carries. */
public enum AddressFamily {
    /** IPv6 and IPv4: every site gets prefixes of both (End.DT46 decapsulation). */
    DUAL_STACK,
    /** IPv6 only (End.DT6 decapsulation). */
    IPV6_ONLY
}
