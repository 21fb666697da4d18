package org.tianshu.api;

import java.util.Set;

/**
 * Who is calling, as authenticated by the runtime's JAAS realm. Admins and operators act on every
 * department; a department user (role {@code dept-<id>}) sees and changes only its own.
 *
 * @param name the principal name
 * @param roles the role names
 */
public record Caller(String name, Set<String> roles) {
    /** Role of platform administrators. */
    public static final String ADMIN = "admin";
    /** Role of cloud operators. */
    public static final String OPERATOR = "operator";
    /** Prefix of the role that binds a user to one department. */
    public static final String DEPARTMENT_ROLE_PREFIX = "dept-";

    /** The runtime itself (scheduled jobs, recovery at start). */
    public static final Caller SYSTEM = new Caller("system", Set.of(ADMIN));

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** True for admins and operators. */
    public boolean isOperator() {
        return roles.contains(ADMIN) || roles.contains(OPERATOR);
    }

    /** True for admins. */
    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }

    /** True if this caller may see and act on {@code departmentId}. */
    public boolean canAccess(String departmentId) {
        return isOperator() || roles.contains(DEPARTMENT_ROLE_PREFIX + departmentId);
    }

    /** Throws FORBIDDEN unless {@link #canAccess(String)}. */
    public void checkAccess(String departmentId) {
        if (!canAccess(departmentId)) {
            throw TianshuException.forbidden(name + " may not act on department '" + departmentId + "'");
        }
    }

    /** Throws FORBIDDEN unless {@link #isOperator()}. */
    public void checkOperator() {
        if (!isOperator()) {
            throw TianshuException.forbidden(name + " needs the admin or operator role");
        }
    }
}
