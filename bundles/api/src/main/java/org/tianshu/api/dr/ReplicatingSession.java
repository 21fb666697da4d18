package org.tianshu.api.dr;

import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.CloudSession;

/**
 * SPI: a {@link CloudSession} that can replicate workloads, implemented by cloud adapters whose
 * sessions support disaster recovery. The same session plays the protected side (export, stop) and the
 * recovery side (keep ready, isolate, bring up). Every method is idempotent: calling it again after a
 * crash finds what the first call did. Failures are {@link org.tianshu.api.TianshuException}s as for
 * {@link CloudSession}.
 */
public interface ReplicatingSession extends CloudSession {
    /** Takes a consistent copy of workload {@code externalId} of this (protected) cloud. */
    WorkloadCopy export(String externalId);

    /**
     * Keeps {@code copy} ready on this (recovery) cloud in {@code network}, not running (a Kubernetes
     * controller scaled to zero, an image), replacing an older copy of the same workload. Returns the
     * copy's id.
     */
    String keepReady(WorkloadCopy copy, String network);

    /** Creates the isolated network {@code network}: nothing outside it can reach it or be reached from it. */
    void isolate(String network);

    /**
     * Brings the kept copy {@code copyId} up in {@code network}: in place when that is the copy's own network,
     * otherwise as a new instance there. Returns the id of the running workload; its {@link #state} turns
     * ACTIVE when it is up.
     */
    String bringUp(String copyId, String network);

    /**
     * True if {@link #bringUp(String, String, String, NetworkMapping)} gives workloads the addresses a
     * {@link NetworkMapping} asks for. False by default (the cloud assigns addresses itself, as Kubernetes
     * assigns pod addresses from its network plug-in): plans asking for addresses are then refused.
     */
    default boolean customisesAddresses() {
        return false;
    }

    /**
     * {@link #bringUp(String, String)} with the plan's mapping of the copy's production network (null if
     * none): {@code workload}, the workload's name in its protection group, gets the address
     * {@link NetworkMapping#recoveryAddress} gives it. By default refuses a mapping that customises addresses.
     */
    default String bringUp(String copyId, String network, String workload, NetworkMapping mapping) {
        if (mapping != null && mapping.customisesAddresses()) {
            throw TianshuException.invalid("networks", "this cloud assigns workload addresses itself;"
                    + " the mapping of network '" + mapping.production() + "' cannot choose them");
        }
        return bringUp(copyId, network);
    }

    /** Stops workload {@code externalId} (kept, not running); succeeds quietly when it is gone. */
    void stop(String externalId);

    /** Removes the isolated network {@code network} and everything in it; succeeds quietly when it is gone. */
    void dropNetwork(String network);
}
