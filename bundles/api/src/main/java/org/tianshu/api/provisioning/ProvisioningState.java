package org.tianshu.api.provisioning;

/** Steps of the provisioning saga; each is journalled before it is acted on. */
public enum ProvisioningState {
    /** Quota reserved, nothing in the cloud yet. */
    RESERVED(false),
    /** Create call sent; the external id may not be known yet. */
    CREATING(false),
    /** Running in the cloud. */
    ACTIVE(true),
    /** Undoing a failed or abandoned create. */
    COMPENSATING(false),
    /** Failed; everything was undone. */
    FAILED(true),
    /** Delete requested. */
    DELETING(false),
    /** Deleted and quota released. */
    DELETED(true);

    private final boolean settled;

    ProvisioningState(boolean settled) {
        this.settled = settled;
    }

    /** True when no further step will run. */
    public boolean settled() {
        return settled;
    }
}
