package org.tianshu.api.plane;

import java.util.List;

/**
 * One computed path.
 *
 * @param routers       router ids from head to tail end, both included
 * @param links         link ids in order, one fewer than {@code routers}
 * @param latencyMicros the sum of the links' latencies
 */
public record Path(List<String> routers, List<String> links, long latencyMicros) {
    /** Copies both lists. */
    public Path {
        routers = List.copyOf(routers);
        links = List.copyOf(links);
    }
}
