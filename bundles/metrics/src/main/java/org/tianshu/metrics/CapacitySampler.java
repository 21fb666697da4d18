package org.tianshu.metrics;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tianshu.api.cloud.CapacitySummary;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.metrics.MetricPoint;

/** One sample of every cloud's capacity and allocation, tagged with the cloud's city. */
public final class CapacitySampler {
    private final InventoryService inventory;
    private final CloudService clouds;
    private final Clock clock;

    public CapacitySampler(InventoryService inventory, CloudService clouds, Clock clock) {
        this.inventory = inventory;
        this.clouds = clouds;
        this.clock = clock;
    }

    public List<MetricPoint> sample() {
        Map<String, String> cities = new HashMap<>();
        for (Cloud c : clouds.list()) {
            cities.put(c.id(), c.city());
        }
        Instant now = clock.instant();
        List<MetricPoint> points = new ArrayList<>();
        for (CapacitySummary s : inventory.capacity()) {
            points.add(PointMapper.capacity(s, cities.get(s.cloudId()), now));
        }
        return points;
    }
}
