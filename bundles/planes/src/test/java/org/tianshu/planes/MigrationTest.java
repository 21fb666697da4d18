package org.tianshu.planes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tianshu.planes.PlaneFixture.a;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.AddressPolicy;
import org.tianshu.api.plane.LegacySite;
import org.tianshu.api.plane.Migration;
import org.tianshu.api.plane.MigrationPlan;
import org.tianshu.api.plane.PlaneIntent;

/** A department's private network cut over into a plane site by site, keeping or mapping its addresses. */
class MigrationTest {
    private static final Caller OP = Caller.SYSTEM;
    private final PlaneFixture f = new PlaneFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private static final String NETWORK = """
            network: health-private
            plane: {name: health-net, departments: [health], isolation: hard, slo: {minBandwidthMbps: 50}}
            sites:
              - {name: hospital, attachment: r1/p1, ipv6Prefix: '2409:8a00:12::/56', ipv4Prefix: 172.20.5.0/24, addresses: keep}
              - {name: clinic, attachment: r4/p1, ipv6Prefix: '2409:8a00:12:100::/56', ipv4Prefix: 172.20.6.0/24}
              - {name: lab, attachment: r3/p1, ipv6Prefix: '2409:8a00:12:200::/56', ipv4Prefix: 172.20.7.0/24, addresses: map}
            """;

    private static TianshuException error(Runnable r) {
        try {
            r.run();
        } catch (TianshuException e) {
            return e;
        }
        throw new AssertionError("expected a TianshuException");
    }

    @Test
    void importThenCutOverSiteBySiteKeepingOrMappingAddresses() {
        MigrationPlan plan = f.manager.parseMigration(NETWORK);
        assertThat(plan.sites().get(1).policy()).isEqualTo(AddressPolicy.KEEP);
        Migration imported = f.manager.importNetwork(plan, OP);
        assertThat(imported.sites()).noneMatch(Migration.Site::cutOver);
        assertThat(f.controller.realised()).isEmpty();
        assertThat(error(() -> f.manager.importNetwork(plan, OP)).kind()).isEqualTo(TianshuException.Kind.CONFLICT);

        // a plane needs two sites: one alone is refused and nothing is recorded
        assertThat(error(() -> f.manager.cutOver("health-private", List.of("hospital"), OP)).field()).isEqualTo("sites");
        assertThat(f.manager.migration("health-private", OP).sites()).noneMatch(Migration.Site::cutOver);

        Migration first = f.manager.cutOver("health-private", List.of("hospital", "clinic"), OP);
        assertThat(first.sites()).extracting(s -> s.site().name() + "=" + s.cutOver() + " " + s.ipv6Prefix() + " " + s.ipv4Prefix())
                .containsExactly("hospital=true 2409:8a00:12::/56 172.20.5.0/24", "clinic=true 2409:8a00:12:100::/56 172.20.6.0/24",
                        "lab=false null null");
        assertThat(f.controller.plane("health-net").policies()).hasSize(2);

        // a failed push leaves the migration where it was
        f.controller.failNextApplies(1);
        error(() -> f.manager.cutOver("health-private", List.of("lab"), OP));
        assertThat(f.manager.migration("health-private", OP).sites().get(2).cutOver()).isFalse();
        assertThat(f.manager.get("health-net", OP).intent().sites()).hasSize(2);

        Migration done = f.manager.cutOver("health-private", List.of("lab"), OP);
        assertThat(done.complete()).isTrue();
        Migration.Site lab = done.sites().get(2);
        assertThat(lab.site().ipv6Prefix()).isEqualTo("2409:8a00:12:200::/56");
        assertThat(lab.ipv6Prefix()).isEqualTo("fd10::/56");
        assertThat(lab.ipv4Prefix()).isEqualTo("10.128.0.0/24");
        assertThat(f.controller.plane("health-net").policies()).hasSize(6);
        assertThat(error(() -> f.manager.cutOver("health-private", List.of("lab"), OP)).kind()).isEqualTo(TianshuException.Kind.CONFLICT);
        assertThat(error(() -> f.manager.cutOver("health-private", List.of("nowhere"), OP)).field()).isEqualTo("sites[0]");
    }

    @Test
    void badPlansAreInvalidNamingTheField() {
        assertThat(error(() -> f.manager.importNetwork(f.manager.parseMigration(NETWORK.replace("2409:8a00:12:100::/56",
                "2409:8a00:12:80::/57")), OP)).field()).isEqualTo("sites[1].ipv6Prefix");
        assertThat(error(() -> f.manager.importNetwork(f.manager.parseMigration(NETWORK.replace("r4/p1", "r9/p1")), OP)).field())
                .isEqualTo("sites[1].attachment");
        assertThat(error(() -> f.manager.parseMigration(NETWORK.replace("addresses: map", "addresses: swap"))).field())
                .isEqualTo("sites[2].addresses");
        assertThat(error(() -> f.manager.parseMigration(NETWORK.replace("isolation: hard", "isolaton: hard"))).field())
                .isEqualTo("plane.isolaton");
        PlaneIntent v6 = new PlaneIntent("v6", List.of("health"), List.of(), null, null, null, null, null,
                org.tianshu.api.plane.AddressFamily.IPV6_ONLY);
        assertThat(error(() -> f.manager.importNetwork(new MigrationPlan("n", v6, List.of(new LegacySite("a", a("r1/p1"), null,
                "172.20.0.0/24", AddressPolicy.KEEP))), OP)).field()).isEqualTo("sites[0].ipv4Prefix");
        assertThat(error(() -> f.manager.migration("nope", OP)).kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
    }
}
