package org.tianshu.adapter.kubernetes;

/**
 * Driver-wide settings (from the OSGi configuration {@code org.tianshu.adapter.kubernetes}).
 *
 * @param connectTimeoutMs TCP/TLS connect timeout
 * @param requestTimeoutMs timeout of one API request (a large list included)
 * @param retries retries of a failed request (fabric8 backs off exponentially from 100 ms)
 * @param listPageSize {@code limit} of list calls during discovery; 0 lists everything in one call
 */
record DriverSettings(int connectTimeoutMs, int requestTimeoutMs, int retries, int listPageSize) {
    static final DriverSettings DEFAULTS = new DriverSettings(5_000, 120_000, 2, 5_000);

    DriverSettings {
        if (connectTimeoutMs <= 0) {
            throw new IllegalArgumentException("connectTimeoutMs must be greater than zero, got " + connectTimeoutMs);
        }
        if (requestTimeoutMs <= 0) {
            throw new IllegalArgumentException("requestTimeoutMs must be greater than zero, got " + requestTimeoutMs);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be zero or more, got " + retries);
        }
        if (listPageSize < 0) {
            throw new IllegalArgumentException("listPageSize must be zero or more, got " + listPageSize);
        }
    }
}
