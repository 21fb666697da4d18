package org.tianshu.adapter.opendaylight;

import java.util.List;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Path;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;

/** Two planes on the lab's default backbone (lab/opendaylight/topology.json: ring r1-r2-r3-r4, ports on r2 and r3). */
final class Planes {
    private Planes() {
    }

    /** Dual-stack, 1+1 protected between r2/p1 and r3/p1: primary r2-r3, backup r2-r1-r4-r3. */
    static PlaneRealisation egov() {
        return new PlaneRealisation("egov-office", 100, List.of(
                new SiteBinding("hz-a", Attachment.parse("r2/p1"), "2409:8000:1:100::/56", "10.16.1.0/24", "fd00:0:2::a:100"),
                new SiteBinding("nb-a", Attachment.parse("r3/p1"), "2409:8000:1:200::/56", "10.16.2.0/24", "fd00:0:3::a:100")),
                List.of(
                        new SrPolicy("hz-a", "nb-a", List.of("fd00:0:3::a:100"),
                                new Path(List.of("r2", "r3"), List.of("r2~r3"), 1500), false),
                        new SrPolicy("hz-a", "nb-a", List.of("fd00:0:1::1", "fd00:0:4::1", "fd00:0:3::a:100"),
                                new Path(List.of("r2", "r1", "r4", "r3"), List.of("r1~r2", "r4~r1", "r3~r4"), 5100), true),
                        new SrPolicy("nb-a", "hz-a", List.of("fd00:0:2::a:100"),
                                new Path(List.of("r3", "r2"), List.of("r2~r3"), 1500), false)));
    }

    /** IPv6-only, unprotected, between r2/p2 and r3/p2 through r1 and r4. */
    static PlaneRealisation video() {
        return new PlaneRealisation("video", 200, List.of(
                new SiteBinding("cam-1", Attachment.parse("r3/p2"), "2409:8000:2:100::/56", null, "fd00:0:3::a:200"),
                new SiteBinding("center", Attachment.parse("r2/p2"), "2409:8000:2:200::/56", null, "fd00:0:2::a:200")),
                List.of(
                        new SrPolicy("cam-1", "center", List.of("fd00:0:4::1", "fd00:0:1::1", "fd00:0:2::a:200"),
                                new Path(List.of("r3", "r4", "r1", "r2"), List.of("r3~r4", "r4~r1", "r1~r2"), 5100), false),
                        new SrPolicy("center", "cam-1", List.of("fd00:0:1::1", "fd00:0:4::1", "fd00:0:3::a:200"),
                                new Path(List.of("r2", "r1", "r4", "r3"), List.of("r1~r2", "r4~r1", "r3~r4"), 5100), false)));
    }
}
