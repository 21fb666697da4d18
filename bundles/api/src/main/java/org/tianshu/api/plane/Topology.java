package org.tianshu.api.plane;

import java.util.List;

/**
 * The backbone: routers and the links between them.
 *
 * @param routers every router, ids unique
 * @param links   every link, ids unique, both ends among {@code routers}
 */
public record Topology(List<Router> routers, List<Link> links) {
    /** Copies both lists; null means empty. */
    public Topology {
        routers = routers == null ? List.of() : List.copyOf(routers);
        links = links == null ? List.of() : List.copyOf(links);
    }

    /** A topology without routers or links. */
    public static Topology empty() {
        return new Topology(List.of(), List.of());
    }
}
