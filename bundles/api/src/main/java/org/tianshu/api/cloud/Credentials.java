package org.tianshu.api.cloud;

import java.util.Map;

/**
 * Secret material to reach a cloud, stored under a name that clouds refer to. Keys depend on the
 * kind: OpenStack uses {@code username}, {@code password}, {@code userDomain}, {@code project},
 * {@code projectDomain}; Kubernetes uses {@code token} (or nothing for an open lab cluster).
 *
 * @param ref the name clouds use to refer to these credentials
 * @param values the secret values; never returned by read APIs
 */
public record Credentials(String ref, Map<String, String> values) {
    public Credentials {
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    /** The value of {@code key}, or {@code fallback}. */
    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }
}
