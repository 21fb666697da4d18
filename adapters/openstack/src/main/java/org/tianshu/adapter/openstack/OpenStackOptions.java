package org.tianshu.adapter.openstack;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.Credentials;

/**
 * Names and defaults of the credential keys and {@link Cloud#options()} this adapter reads, parsed
 * once per session. Every failure names the key at fault.
 */
record OpenStackOptions(String username, String password, String userDomain, String project, String projectDomain,
        String defaultNetwork, Set<String> ignoredProjects, String projectDomainId, String projectRole,
        int connectTimeoutMs, int readTimeoutMs) {

    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String USER_DOMAIN = "userDomain";
    static final String PROJECT = "project";
    static final String PROJECT_DOMAIN = "projectDomain";
    static final String DEFAULT_DOMAIN = "Default";

    /** Network used when a spec names none; else the only (or first shared, or first) network. */
    static final String OPT_NETWORK = "network";
    /** Comma-separated projects that are never departments. */
    static final String OPT_IGNORED_PROJECTS = "projects.ignore";
    static final String DEFAULT_IGNORED_PROJECTS = "admin,service";
    /** Id of the Keystone domain that holds department projects. */
    static final String OPT_PROJECT_DOMAIN_ID = "department.domainId";
    static final String DEFAULT_PROJECT_DOMAIN_ID = "default";
    /** Role given to the session's user on each department project. */
    static final String OPT_PROJECT_ROLE = "department.role";
    static final String DEFAULT_PROJECT_ROLE = "member";
    static final String OPT_CONNECT_TIMEOUT = "timeout.connect.seconds";
    static final String OPT_READ_TIMEOUT = "timeout.read.seconds";

    /** Reads and checks the credentials and options of {@code cloud}. */
    static OpenStackOptions of(Cloud cloud, Credentials credentials) {
        if (cloud.endpoint() == null || cloud.endpoint().isBlank()) {
            throw TianshuException.invalid("endpoint", "cloud " + cloud.id() + " has no Keystone v3 endpoint");
        }
        if (credentials == null) {
            throw TianshuException.invalid("credentials", "cloud " + cloud.id() + " has no credentials");
        }
        var o = cloud.options();
        return new OpenStackOptions(
                required(credentials, USERNAME), required(credentials, PASSWORD),
                credentials.get(USER_DOMAIN, DEFAULT_DOMAIN), required(credentials, PROJECT),
                credentials.get(PROJECT_DOMAIN, DEFAULT_DOMAIN),
                blankToNull(o.get(OPT_NETWORK)),
                Arrays.stream(o.getOrDefault(OPT_IGNORED_PROJECTS, DEFAULT_IGNORED_PROJECTS).split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet()),
                o.getOrDefault(OPT_PROJECT_DOMAIN_ID, DEFAULT_PROJECT_DOMAIN_ID),
                o.getOrDefault(OPT_PROJECT_ROLE, DEFAULT_PROJECT_ROLE),
                seconds(o.get(OPT_CONNECT_TIMEOUT), 10) * 1000, seconds(o.get(OPT_READ_TIMEOUT), 60) * 1000);
    }

    private static String required(Credentials c, String key) {
        String v = c.values().get(key);
        if (v == null || v.isBlank()) {
            throw TianshuException.invalid("credentials", "credentials '" + c.ref() + "' lack the key '" + key + "'");
        }
        return v;
    }

    private static int seconds(String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int s = Integer.parseInt(value.trim());
            if (s > 0 && s <= 3600) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw TianshuException.invalid("options", "timeout must be 1-3600 seconds, got '" + value + "'");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
