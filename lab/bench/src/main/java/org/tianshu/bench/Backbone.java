package org.tianshu.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.RouterRole;
import org.tianshu.api.plane.Topology;

/**
 * A generated provincial backbone in four tiers. Core: 6 routers in the capital (full mesh, 0.1–0.3 ms, 400 Gbit/s)
 * and 2 at the DR site (each to 3 capital cores, 1.5–2 ms). City: 2 aggregation routers per city, linked to each other,
 * each dual-homed to two different cores (1–4 ms by distance, 100 Gbit/s); each router's two uplinks leave the city
 * in one corridor (an SRLG), and in every third city one uplink of each router shares a bridge (another SRLG). County:
 * routers dual-homed to both city routers (0.3–1.5 ms, 40 Gbit/s), the uplinks of neighbouring counties to the same
 * city router share a trench (SRLG), and neighbouring counties are linked laterally (10 Gbit/s). Township: closed
 * rings of 4–7 access routers through their county router (0.05–0.4 ms, 10 Gbit/s); in one ring of 20 the two links
 * at the county share a duct, so its townships cannot have SRLG-disjoint pairs. Links in the same duct as others are
 * realistic, and they make the SRLG check matter.
 */
final class Backbone {
    final Topology topology;
    final List<String> cores = new ArrayList<>();
    final List<String> cityRouters = new ArrayList<>();
    final List<String> counties = new ArrayList<>();
    final List<String> townships = new ArrayList<>();
    final Set<String> srlgs = new HashSet<>();

    private final List<Router> routers = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();
    private final Random rnd;
    private int next;

    Backbone(int size, int cities, long seed) {
        rnd = new Random(seed);
        for (int i = 0; i < 6; i++) {
            cores.add(router("capital-core-" + i, RouterRole.CORE, "capital"));
        }
        for (int i = 0; i < 6; i++) {
            for (int j = i + 1; j < 6; j++) {
                link(cores.get(i), cores.get(j), between(100, 300), 400_000);
            }
        }
        for (int i = 0; i < 2; i++) {
            String dr = router("dr-core-" + i, RouterRole.CORE, "dr");
            for (int j = 0; j < 3; j++) {
                link(dr, cores.get(i * 3 + j), between(1500, 2000), 400_000);
            }
            cores.add(dr);
        }
        int countyCount = Math.max(cities, (size - cores.size() - 2 * cities) / 22);
        int townshipCount = size - cores.size() - 2 * cities - countyCount;
        List<List<String>> countiesOfCity = new ArrayList<>();
        for (int c = 0; c < cities; c++) {
            String city = "city" + c;
            long distance = between(1000, 4000);
            String[] agg = new String[2];
            for (int k = 0; k < 2; k++) {
                agg[k] = router(city + "-agg-" + k, RouterRole.AGGREGATION, city);
                cityRouters.add(agg[k]);
                int c1 = (c * 2 + k * 3) % 6;
                int c2 = (c1 + 1 + rnd.nextInt(5)) % 6;
                String corridor = city + "-corridor-" + k;
                String bridge = c % 3 == 0 ? city + "-bridge" : null;
                link(agg[k], cores.get(c1), distance + between(0, 200), 100_000, corridor, bridge);
                link(agg[k], cores.get(c2), distance + between(0, 200), 100_000, corridor);
            }
            link(agg[0], agg[1], between(50, 150), 100_000);
            countiesOfCity.add(new ArrayList<>());
        }
        for (int i = 0; i < countyCount; i++) {
            int c = i % cities;
            String city = "city" + c;
            List<String> mine = countiesOfCity.get(c);
            String county = router(city + "-county-" + mine.size(), RouterRole.AGGREGATION, city);
            String trench = city + "-trench-" + (mine.size() / 2);
            link(county, city + "-agg-0", between(300, 1500), 40_000, trench + "-0");
            link(county, city + "-agg-1", between(300, 1500), 40_000, trench + "-1");
            if (!mine.isEmpty()) {
                link(county, mine.get(mine.size() - 1), between(300, 800), 10_000);
            }
            mine.add(county);
            counties.add(county);
        }
        int t = 0;
        int ring = 0;
        while (t < townshipCount) {
            String county = counties.get(ring % counties.size());
            String city = county.substring(0, county.indexOf('-'));
            int len = Math.min(4 + rnd.nextInt(4), townshipCount - t);
            String duct = ring % 20 == 7 ? county + "-ring-" + ring + "-duct" : null;
            String prev = county;
            for (int k = 0; k < len; k++) {
                String town = router(county + "-town-" + (t++), RouterRole.ACCESS, city);
                townships.add(town);
                link(prev, town, between(50, 400), 10_000, k == 0 ? duct : null);
                prev = town;
            }
            link(prev, county, between(50, 400), 10_000, duct);
            ring++;
        }
        topology = new Topology(routers, links);
    }

    private String router(String id, RouterRole role, String city) {
        int n = next++;
        routers.add(new Router(id, role, city, String.format("fd00:%x:%x::/48", n >> 16, n & 0xffff)));
        return id;
    }

    private void link(String a, String b, long latency, long capacity, String... groups) {
        Set<String> g = new HashSet<>();
        for (String s : groups) {
            if (s != null) {
                g.add(s);
            }
        }
        srlgs.addAll(g);
        links.add(new Link(a + "~" + b, a, b, capacity, latency, g, true));
    }

    private long between(int lo, int hi) {
        return lo + rnd.nextInt(hi - lo + 1);
    }
}
