package org.tianshu.adapter.opendaylight;

import java.net.URI;
import java.time.Duration;

/**
 * Validated settings of the adapter; every error names its key of PID {@code org.tianshu.adapter.opendaylight}.
 *
 * @param url            RESTCONF root, e.g. {@code http://127.0.0.1:8888/restconf}, without a trailing slash
 * @param username       user for HTTP Basic authentication; empty for none
 * @param password       its password
 * @param connectTimeout how long to wait for a TCP connection
 * @param requestTimeout how long to wait for one answer
 * @param topologyId     the NETCONF topology whose connected nodes are the backbone routers
 */
record RestconfSettings(String url, String username, String password, Duration connectTimeout,
        Duration requestTimeout, String topologyId) {
    RestconfSettings {
        if (url == null || url.isBlank()) {
            throw invalid("url", "must be set, e.g. http://127.0.0.1:8888/restconf");
        }
        url = url.trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI u = URI.create(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw invalid("url", "must be an http(s) URL, got " + url);
            }
        } catch (IllegalArgumentException e) {
            throw invalid("url", "must be an http(s) URL, got " + url);
        }
        username = username == null ? "" : username.trim();
        password = password == null ? "" : password;
        if (connectTimeout.toMillis() < 1) {
            throw invalid("connectTimeoutMillis", "must be at least 1, got " + connectTimeout.toMillis());
        }
        if (requestTimeout.toMillis() < 1) {
            throw invalid("requestTimeoutMillis", "must be at least 1, got " + requestTimeout.toMillis());
        }
        if (topologyId == null || topologyId.isBlank()) {
            throw invalid("topologyId", "must be set, e.g. topology-netconf");
        }
        topologyId = topologyId.trim();
    }

    private static IllegalArgumentException invalid(String key, String why) {
        return new IllegalArgumentException("org.tianshu.adapter.opendaylight: " + key + " " + why);
    }
}
