package org.tianshu.slicing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.RouterRole;
import org.tianshu.api.plane.Topology;

/** Small hand-built backbones for the tests. */
final class Topologies {
    private final Set<String> routers = new LinkedHashSet<>();
    private final List<Link> links = new ArrayList<>();

    /** Adds link {@code a-b} (its id), creating both routers if new. */
    Topologies link(String a, String b, long latencyMicros, long capacityMbps, String... srlgs) {
        routers.add(a);
        routers.add(b);
        links.add(new Link(a + "-" + b, a, b, capacityMbps, latencyMicros, Set.of(srlgs), true));
        return this;
    }

    Topology build() {
        List<Router> rs = new ArrayList<>();
        int i = 1;
        for (String r : routers) {
            rs.add(new Router(r, RouterRole.AGGREGATION, "hangzhou", "fd00:0:" + Integer.toHexString(i++) + "::/48"));
        }
        return new Topology(rs, links);
    }

    /**
     * a-b-d (2 ms) is the shortest a→d; a-c-d (3 ms) is link-disjoint from it but a-b and c-d share duct1; a-x-d
     * (6 ms) shares nothing; b-c is a 0.2 ms cross link.
     */
    static Topology ladder() {
        return new Topologies()
                .link("a", "b", 1000, 1000, "duct1")
                .link("b", "d", 1000, 1000)
                .link("a", "c", 1500, 1000)
                .link("c", "d", 1500, 1000, "duct1")
                .link("b", "c", 200, 1000)
                .link("a", "x", 3000, 1000)
                .link("x", "d", 3000, 1000)
                .build();
    }

    /** Suurballe's trap: the shortest s→t (s-a-b-t, 3 ms) leaves no disjoint path, but s-a-t + s-b-t do. */
    static Topology trap() {
        return new Topologies()
                .link("s", "a", 1000, 1000)
                .link("a", "b", 1000, 1000)
                .link("b", "t", 1000, 1000)
                .link("s", "b", 3000, 1000)
                .link("a", "t", 3000, 1000)
                .build();
    }
}
