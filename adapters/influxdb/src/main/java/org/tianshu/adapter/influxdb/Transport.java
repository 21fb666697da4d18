package org.tianshu.adapter.influxdb;

import java.util.List;
import org.tianshu.api.metrics.MetricPoint;

/** Sends one batch to the database; throws if it was not stored. */
@FunctionalInterface
interface Transport {
    void send(List<MetricPoint> batch) throws Exception;
}
