package org.tianshu.api.cloud;

/**
 * A VM size offered by an OpenStack cloud.
 *
 * @param id the cloud's id
 * @param name flavor name
 * @param vcpus virtual CPUs
 * @param ramMiB memory in MiB
 * @param diskGiB root disk in GiB
 */
public record Flavor(String id, String name, int vcpus, long ramMiB, long diskGiB) {
}
