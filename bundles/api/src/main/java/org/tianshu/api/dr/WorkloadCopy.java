package org.tianshu.api.dr;

import java.time.Instant;

/**
 * A consistent copy of a workload's definition (and state where the cloud can hold it), taken from the
 * protected cloud and kept on the recovery cloud.
 *
 * @param name the workload's name
 * @param sourceId the workload's id on the protected cloud
 * @param network the network (namespace) it runs in on the protected cloud
 * @param payload the driver's own serialised form of the copy
 * @param consistentAt when the copy was taken
 */
public record WorkloadCopy(String name, String sourceId, String network, String payload, Instant consistentAt) {
}
