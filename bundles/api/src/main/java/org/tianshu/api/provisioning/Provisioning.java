package org.tianshu.api.provisioning;

import java.time.Instant;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.scheduling.PlacementExplanation;

/**
 * One provisioning request and where its saga stands.
 *
 * @param id request id (also the tag on the cloud resource)
 * @param idempotencyKey the caller's key, null if none was given
 * @param cloudId target cloud
 * @param spec what was asked for
 * @param demand resources reserved against quota
 * @param state current step
 * @param externalId the cloud's id once known
 * @param error why it failed, null otherwise
 * @param requestedBy principal that asked
 * @param createdAt when it was asked
 * @param updatedAt when the journal last changed
 * @param placement why the scheduler chose the cloud (per-cloud verdicts), null when the caller named the cloud
 */
public record Provisioning(String id, String idempotencyKey, String cloudId, WorkloadSpec spec, Resources demand,
        ProvisioningState state, String externalId, String error, String requestedBy, Instant createdAt,
        Instant updatedAt, PlacementExplanation placement) {
    /** A request whose caller named the cloud. */
    public Provisioning(String id, String idempotencyKey, String cloudId, WorkloadSpec spec, Resources demand,
            ProvisioningState state, String externalId, String error, String requestedBy, Instant createdAt,
            Instant updatedAt) {
        this(id, idempotencyKey, cloudId, spec, demand, state, externalId, error, requestedBy, createdAt, updatedAt, null);
    }

    /** True if the scheduler chose the cloud. */
    public boolean scheduled() {
        return placement != null;
    }
}
