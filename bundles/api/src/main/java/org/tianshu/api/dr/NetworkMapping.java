package org.tianshu.api.dr;

/**
 * Where workloads of one production network (a Kubernetes namespace, an OpenStack network) come up
 * on the recovery cloud.
 *
 * @param production network on the protected cloud
 * @param recovery network on the recovery cloud
 */
public record NetworkMapping(String production, String recovery) {
}
