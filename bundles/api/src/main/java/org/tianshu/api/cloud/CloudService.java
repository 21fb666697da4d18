package org.tianshu.api.cloud;

import java.util.List;

/** Read side of the onboarded clouds. */
public interface CloudService {
    /** Every onboarded cloud, ordered by id. */
    List<Cloud> list();

    /** The cloud {@code id}; NOT_FOUND naming {@code cloud} otherwise. */
    Cloud get(String id);

    /** Status of the last sync of {@code id}. */
    CloudStatus status(String id);

    /**
     * An open session to cloud {@code id}, opened on first use and kept until the cloud or its
     * driver goes away.
     */
    CloudSession session(String id);
}
