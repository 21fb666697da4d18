package org.tianshu.adapter.influxdb;

import java.util.List;

/** Sends one batch to the database; throws if it was not stored. */
@FunctionalInterface
interface Transport<T> {
    /** Stores the batch; {@link Rejected} when the database refused its points, anything else when it may succeed later. */
    void send(List<T> batch) throws Exception;

    /**
     * The database answered and refused the batch's points as they are (a line it cannot parse, a field whose type
     * conflicts with what the measurement holds, a time beyond the retention policy): sending them again cannot succeed.
     */
    final class Rejected extends RuntimeException {
        Rejected(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
