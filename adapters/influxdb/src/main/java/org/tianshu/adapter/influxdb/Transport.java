package org.tianshu.adapter.influxdb;

import java.util.List;

/** Sends one batch to the database; throws if it was not stored. */
@FunctionalInterface
interface Transport<T> {
    void send(List<T> batch) throws Exception;
}
