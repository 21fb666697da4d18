package org.tianshu.planes;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.AddressFamily;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.PlaneSite;

/**
 * Prefix planning over random histories of plane creations, updates (sites added and removed) and deletions in small
 * pools (so they fill up): prefixes never overlap across planes or sites, every planned site prefix lies in its plane's
 * block, a site keeps its prefix across updates, and a deleted plane's space is reused.
 */
class PrefixPlannerPropertiesTest {
    /** 16 plane blocks of 16 sites each, IPv4 8 blocks of 4 sites. */
    private static final Pools SMALL = Pools.of("fd10::/44", 48, 52, "10.0.0.0/21", 24, 26);

    /** One step: plane id 0-5, op 0 create/update with n sites, 1 delete. */
    @Provide
    Arbitrary<List<Tuple.Tuple3<Integer, Integer, Integer>>> histories() {
        return Arbitraries.integers().between(0, 5).flatMap(p -> Arbitraries.integers().between(0, 3)
                .flatMap(op -> Arbitraries.integers().between(1, 6).map(n -> Tuple.of(p, op == 3 ? 1 : 0, n))))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 300)
    void noOverlapHierarchyStabilityAndReclamation(@ForAll("histories") List<Tuple.Tuple3<Integer, Integer, Integer>> history) {
        PrefixPlanner planner = new PrefixPlanner(SMALL);
        Map<String, List<Prefix>> held = new LinkedHashMap<>();
        for (var step : history) {
            String plane = "p" + step.get1();
            if (step.get2() == 1) {
                held.remove(plane);
                continue;
            }
            List<PlaneSite> sites = new ArrayList<>();
            // site names overlap between updates, so some keep their prefixes and some are new
            for (int i = step.get3() / 2; i < step.get3() / 2 + step.get3(); i++) {
                sites.add(new PlaneSite("s" + i, null));
            }
            PlaneIntent intent = new PlaneIntent(plane, List.of("d"), sites, null, null, null, null, null,
                    step.get1() % 2 == 0 ? AddressFamily.DUAL_STACK : AddressFamily.IPV6_ONLY);
            List<Prefix> all = held.values().stream().flatMap(List::stream).toList();
            List<Prefix> planned;
            try {
                planned = planner.plan(intent, all);
            } catch (TianshuException e) {
                assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
                assertThat(e.getMessage()).contains("no free");
                continue;
            }
            List<Prefix> before = held.getOrDefault(plane, List.of());
            for (Prefix p : planned) {
                before.stream().filter(b -> p.site() != null && p.site().equals(b.site()) && b.family() == p.family())
                        .forEach(b -> assertThat(p.prefix()).as("site keeps its prefix").isEqualTo(b.prefix()));
            }
            held.put(plane, planned);
            check(held);
        }
        // everything released: the first plane planned gets the pool's first block again
        List<Prefix> fresh = planner.plan(new PlaneIntent("q", List.of("d"), List.of(new PlaneSite("a", null)), null, null, null, null,
                null, null), List.of());
        assertThat(fresh.get(0).prefix()).isEqualTo("fd10::/48");
    }

    private static void check(Map<String, List<Prefix>> held) {
        List<Prefix> all = held.values().stream().flatMap(List::stream).toList();
        for (int i = 0; i < all.size(); i++) {
            Prefix a = all.get(i);
            IPAddress pa = PrefixPlanner.parse(a.prefix());
            assertThat(pa.isPrefixBlock()).isTrue();
            if (!a.block()) {
                IPAddress block = PrefixPlanner.parse(all.stream().filter(b -> b.block() && b.plane().equals(a.plane())
                        && b.family() == a.family()).findFirst().orElseThrow().prefix());
                assertThat(block.contains(pa)).as(a + " inside its block").isTrue();
                assertThat(pa.getNetworkPrefixLength()).isEqualTo(a.family() == 6 ? 52 : 26);
            }
            for (int j = i + 1; j < all.size(); j++) {
                Prefix b = all.get(j);
                boolean related = a.plane().equals(b.plane()) && (a.block() || b.block());
                if (a.family() == b.family() && !related) {
                    assertThat(pa.overlaps(PrefixPlanner.parse(b.prefix()))).as(a + " vs " + b).isFalse();
                }
            }
        }
    }
}
