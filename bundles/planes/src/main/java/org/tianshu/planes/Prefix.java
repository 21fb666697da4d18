package org.tianshu.planes;

/**
 * One prefix a plane holds.
 *
 * @param prefix the prefix in compressed form, e.g. {@code fd10:0:100::/56}
 * @param family 6 or 4
 * @param plane  the plane's name
 * @param site   the site's name; null for the plane's block
 * @param kept   true for a site's own prefix kept from a private network (outside the hierarchy)
 */
record Prefix(String prefix, int family, String plane, String site, boolean kept) {
    /** True for a plane's block. */
    boolean block() {
        return site == null;
    }
}
