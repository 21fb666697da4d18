package org.tianshu.api.cloud;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.scheduling.Usage;
import org.tianshu.api.tenancy.QuotaResource;

/**
 * An authenticated connection to one cloud. Implementations are thread-safe; every call that
 * fails in the cloud throws {@link org.tianshu.api.TianshuException} of kind UPSTREAM (or
 * INVALID/NOT_FOUND naming the spec field at fault).
 */
public interface CloudSession extends AutoCloseable {
    /**
     * The field of the CONFLICT that {@link #create} throws when the cloud itself refuses the workload for lack of
     * capacity or of quota in the cloud: another cloud may still take it.
     */
    String CAPACITY = "capacity";

    /** Lists hosts with capacity and allocation, workloads and the catalog. */
    CloudSnapshot discover();

    /**
     * Checks {@code spec} against the cloud's catalog (flavor, image, network exist) and returns
     * what it will consume. Changes nothing.
     */
    Resources demand(WorkloadSpec spec);

    /**
     * Starts creating the workload, mapping its department to a project/namespace (created when
     * missing), and tags it with {@code requestId} so that {@link #findByRequest} finds it after a
     * crash. Returns the external id. CONFLICT naming {@link #CAPACITY} when the cloud refuses it for lack of
     * capacity or quota.
     */
    String create(WorkloadSpec spec, String requestId);

    /**
     * Like {@link #create(WorkloadSpec, String)}, but on the hosts the scheduler chose: {@code hosts} (one for a
     * VM; the nodes of a container workload's replicas) bind the workload to them, empty leaves the choice to the
     * cloud. Clouds whose driver cannot choose hosts refuse a non-empty set with CONFLICT naming {@code hosts}.
     */
    default String create(WorkloadSpec spec, String requestId, Set<String> hosts) {
        if (hosts == null || hosts.isEmpty()) {
            return create(spec, requestId);
        }
        throw new TianshuException(TianshuException.Kind.CONFLICT, "hosts", "this cloud's driver cannot choose hosts");
    }

    /** Current state of a workload; {@link WorkloadState#GONE} when the cloud has none. */
    WorkloadState state(String externalId);

    /**
     * Why the cloud gave up a workload it had accepted for lack of capacity (Nova: a server in ERROR with the fault
     * "No valid host was found"), so that another cloud may take it; empty for any other state or failure.
     */
    default Optional<String> capacityFault(String externalId) {
        return Optional.empty();
    }

    /** External id of the workload tagged with {@code requestId}, if the cloud has one. */
    Optional<String> findByRequest(String requestId);

    /**
     * Starts moving a running workload to {@code targetHost} of this cloud (live migration of a VM; rescheduling
     * of a container workload's pods onto that node). Idempotent: moving a workload where it already is does
     * nothing. Follow it with {@link #hostOf}. Clouds that cannot move workloads refuse with CONFLICT.
     */
    default void move(String externalId, String targetHost) {
        throw new TianshuException(TianshuException.Kind.CONFLICT, "cloud", "this cloud's driver cannot move workloads");
    }

    /**
     * The host the workload runs on once it is running on exactly one, else empty (still moving, several hosts,
     * or gone).
     */
    default Optional<String> hostOf(String externalId) {
        return Optional.empty();
    }

    /**
     * Measured use of this cloud's hosts and workloads, from the cloud's own metrics API (metrics-server's Resource
     * Metrics API on Kubernetes); empty when the cloud has none. One {@link Usage} per host and per workload with a
     * measurement; must not block for long.
     */
    default List<Usage> usage() {
        return List.of();
    }

    /** Deletes a workload; succeeds quietly when it is already gone. */
    void delete(String externalId);

    /**
     * Mirrors a department's Tianshu limits for this cloud into the cloud's own quota mechanism
     * (Nova/Neutron project quotas, a Kubernetes ResourceQuota in the department's namespace), so
     * the cloud enforces them too. Resources absent from {@code limits} become unlimited there.
     */
    void applyQuota(String departmentId, Map<QuotaResource, Long> limits);

    /** Releases connections. */
    @Override
    void close();
}
