package org.tianshu.api.provisioning;

import java.time.Duration;
import java.util.List;
import org.tianshu.api.Caller;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.scheduling.Preferences;

/**
 * Creates and deletes workloads in named clouds as journalled sagas: quota reservation, create,
 * wait until active; a failure part-way compensates, and sagas cut short by a crash are resumed or
 * compensated when the runtime starts again.
 */
public interface ProvisioningService {
    /**
     * Validates the request (cloud, department, spec against the cloud's catalog), reserves quota
     * and starts the saga; returns at once. With an {@code idempotencyKey} already used by the same
     * department, returns that request instead of creating another. A null {@code cloudId} lets the scheduler
     * choose, as {@link #submit(WorkloadSpec, PlacementConstraints, Preferences, String, Caller)} with no
     * constraints.
     */
    Provisioning submit(String cloudId, WorkloadSpec spec, String idempotencyKey, Caller caller);

    /**
     * Lets the scheduler choose the cloud under {@code constraints} (and the department's scheduling policy),
     * then starts the saga there: the placement's host capacity and the quota are taken over by the saga in the
     * transaction that journals it, and given back when it compensates. The choice and its explanation are in
     * the returned record. CONFLICT naming {@code placement} when no cloud can take it (nothing is reserved);
     * CONFLICT naming {@code cloud} when no scheduler is running.
     */
    Provisioning submit(WorkloadSpec spec, PlacementConstraints constraints, Preferences preferences,
            String idempotencyKey, Caller caller);

    /** The request {@code id}, if the caller may see it; NOT_FOUND naming {@code id} otherwise. */
    Provisioning get(String id, Caller caller);

    /** Requests visible to the caller, newest first, optionally of one department. */
    List<Provisioning> list(String departmentId, Caller caller);

    /** Waits until the request is settled or {@code timeout} passes; returns its latest record. */
    Provisioning await(String id, Duration timeout, Caller caller);

    /** Starts deleting the workload of an active request; returns at once. */
    Provisioning delete(String id, Caller caller);
}
