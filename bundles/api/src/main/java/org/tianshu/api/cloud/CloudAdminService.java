package org.tianshu.api.cloud;

import org.tianshu.api.Caller;

/** Write side of the onboarded clouds: operators only. */
public interface CloudAdminService {
    /** Stores (or replaces) credentials under {@code credentials.ref()}. */
    void putCredentials(Credentials credentials, Caller caller);

    /**
     * Onboards a cloud: validates every field, opens a session (so bad credentials or an
     * unreachable endpoint are refused before anything is stored), stores it and runs a first sync.
     */
    Cloud register(Cloud cloud, Caller caller);

    /** Removes a cloud from Tianshu (the cloud itself is untouched). CONFLICT while it has managed workloads. */
    void unregister(String id, Caller caller);
}
