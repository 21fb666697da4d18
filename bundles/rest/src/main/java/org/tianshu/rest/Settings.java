package org.tianshu.rest;

import org.tianshu.api.TianshuException;

/**
 * Checked values of {@link RestConfig}.
 *
 * @param realm JAAS realm name
 * @param maxBodyBytes largest request body
 * @param maxWaitSeconds cap on {@code ?wait=}
 */
public record Settings(String realm, long maxBodyBytes, int maxWaitSeconds) {
    /** Defaults, as in {@link RestConfig}. */
    public static final Settings DEFAULTS = new Settings("karaf", 1_048_576, 600);

    public Settings {
        if (realm == null || realm.isBlank()) {
            throw TianshuException.invalid("realm", RestConfig.PID + ": realm is required");
        }
        if (maxBodyBytes <= 0) {
            throw TianshuException.invalid("maxBodyBytes", RestConfig.PID + ": maxBodyBytes must be > 0, got "
                    + maxBodyBytes);
        }
        if (maxWaitSeconds < 0) {
            throw TianshuException.invalid("maxWaitSeconds", RestConfig.PID + ": maxWaitSeconds must be >= 0, got "
                    + maxWaitSeconds);
        }
    }

    /** Checks {@code config}; fails naming the key at fault. */
    public static Settings of(RestConfig config) {
        return new Settings(config.realm() == null ? null : config.realm().trim(), config.maxBodyBytes(),
                config.maxWaitSeconds());
    }
}
