package org.tianshu.api.dr;

/**
 * A check (or action) run during recovery: per workload once it is up, per plan once every priority
 * group is up. {@code ${network}}, {@code ${workload}} and {@code ${run}} in the target are replaced
 * by the network the copies came up in, the workload name and the run id.
 *
 * @param name identifier shown in reports
 * @param kind script or http
 * @param target the command line or URL
 * @param timeoutSeconds how long it may take before it counts as failed
 */
public record Hook(String name, HookKind kind, String target, long timeoutSeconds) {
}
