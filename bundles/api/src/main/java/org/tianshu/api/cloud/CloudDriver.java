package org.tianshu.api.cloud;

/**
 * SPI implemented by an adapter for one {@link CloudKind}, registered as an OSGi service. The
 * inventory finds drivers by {@link #kind()} and opens one session per cloud.
 */
public interface CloudDriver {
    /** The kind of cloud this driver speaks to. */
    CloudKind kind();

    /**
     * Opens a session to {@code cloud}, authenticating with {@code credentials}.
     *
     * @throws org.tianshu.api.TianshuException INVALID naming {@code credentials} when the cloud
     *     refuses them, UPSTREAM naming {@code endpoint} when it cannot be reached
     */
    CloudSession open(Cloud cloud, Credentials credentials);
}
