package org.tianshu.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.scheduling.Efficiency;
import org.tianshu.api.scheduling.Efficiency.HostLine;
import org.tianshu.api.scheduling.Efficiency.Line;

/**
 * Turns successive efficiency evaluations into capacity-threshold events: one when a cloud's allocation share (the
 * larger of its CPU and memory allocation after overcommit) rises above the threshold ({@code direction=above}),
 * one when it falls back to or below it ({@code direction=below}); nothing while it stays on one side. A cloud is
 * taken to start below, so the first evaluation after a start announces every cloud that is above.
 */
final class CapacityWatch {
    private final double threshold;
    private final Map<String, Boolean> above = new HashMap<>();

    CapacityWatch(double threshold) {
        this.threshold = threshold;
    }

    /** The crossings since the previous evaluation, subject {@code cloud/<id>}, in the order of {@code e.clouds()}. */
    synchronized List<Event> crossings(Efficiency e) {
        List<Event> events = new ArrayList<>();
        Map<String, Boolean> now = new HashMap<>();
        for (Line cloud : e.clouds()) {
            double share = Math.max(cloud.cpuAllocation(), cloud.memoryAllocation());
            boolean isAbove = share > threshold;
            now.put(cloud.id(), isAbove);
            if (isAbove != above.getOrDefault(cloud.id(), false)) {
                events.add(event(e, cloud.id(), share, isAbove));
            }
        }
        // a cloud missing from an evaluation (removed, or no host up) starts again below
        above.clear();
        above.putAll(now);
        return events;
    }

    private Event event(Efficiency e, String cloudId, double share, boolean isAbove) {
        String overloaded = e.hosts().stream().filter(h -> h.cloudId().equals(cloudId) && h.overloaded())
                .map(HostLine::host).sorted().collect(Collectors.joining(","));
        return new Event(EventType.CAPACITY_THRESHOLD, "cloud/" + cloudId, null, cloudId,
                Map.of("cloud", cloudId, "share", String.valueOf(Math.round(share * 1000) / 1000.0),
                        "threshold", String.valueOf(threshold), "direction", isAbove ? "above" : "below",
                        "overloadedHosts", overloaded),
                e.at());
    }
}
