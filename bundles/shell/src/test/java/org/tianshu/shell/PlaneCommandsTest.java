package org.tianshu.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.RouterRole;
import org.tianshu.api.plane.Topology;
import org.tianshu.api.testing.InMemoryNetworkController;
import org.tianshu.persistence.Database;
import org.tianshu.planes.PlaneManager;
import org.tianshu.planes.Pools;
import org.tianshu.slicing.PathEngine;
import org.tianshu.testing.TestPlatform;

/** The plane commands against the real plane manager and path engine over the in-memory controller. */
class PlaneCommandsTest {
    private TestPlatform t;
    private Database db;
    private PathEngine engine;
    private PlaneManager planes;
    private InMemoryNetworkController controller;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        t = new TestPlatform();
        t.department("health", "省卫生健康委");
        db = Database.open("jdbc:h2:mem:shell-planes-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "sa", "", 5);
        Topology topology = new Topology(List.of(new Router("r1", RouterRole.CORE, "chengdu", "fd00:0:1::/48"),
                new Router("r2", RouterRole.AGGREGATION, "mianyang", "fd00:0:2::/48"),
                new Router("r3", RouterRole.ACCESS, "mianyang", "fd00:0:3::/48")),
                List.of(new Link("r1-r2", "r1", "r2", 1000, 2000, Set.of("d1"), true),
                        new Link("r2-r3", "r2", "r3", 100, 500, Set.of("d2"), true)));
        controller = new InMemoryNetworkController("memory", topology,
                List.of(Attachment.parse("r1/p1"), Attachment.parse("r3/p1")));
        engine = new PathEngine();
        planes = new PlaneManager(db.dataSource(), engine, controller, t.departments(),
                new PlaneManager.Settings(Pools.of("fd10::/32", 40, 56, "10.128.0.0/12", 20, 24), 1000, 2000));
        planes.start();
    }

    @AfterEach
    void tearDown() {
        db.close();
        t.close();
    }

    private <C extends TianshuAction> C wire(C c) {
        c.audit = t.audit();
        c.caller = Caller.SYSTEM;
        c.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return c;
    }

    private String output() {
        String s = printed.toString(StandardCharsets.UTF_8);
        printed.reset();
        return s;
    }

    private String file(String body) throws Exception {
        Path f = dir.resolve("plane.yaml");
        Files.writeString(f, body);
        return f.toString();
    }

    private static final String PLANE = """
            name: egov
            departments: [health]
            isolation: hard
            slo: {minBandwidthMbps: 40}
            sites:
              - {name: hq, attachment: r1/p1}
              - {name: county, attachment: r3/p1}
            """;

    @Test
    void dryRunThenApplyShowListDelete() throws Exception {
        PlaneCommands.PlaneApplyCommand dry = wire(new PlaneCommands.PlaneApplyCommand());
        dry.admin = planes;
        dry.dryRun = true;
        dry.file = file(PLANE);
        dry.execute();
        assertThat(output()).startsWith("plane egov would create").contains("+ path hq~county: r1>r2>r3 2.5 ms, 40 Mbps",
                "+ prefix hq ipv6: fd10::/56");
        assertThat(engine.reservations()).isEmpty();

        PlaneCommands.PlaneApplyCommand apply = wire(new PlaneCommands.PlaneApplyCommand());
        apply.admin = planes;
        apply.file = dry.file;
        apply.execute();
        assertThat(output()).startsWith("plane egov created");
        assertThat(controller.plane("egov")).isNotNull();
        assertThat(t.auditTrail()).anyMatch(e -> e.action().equals("plane-apply") && e.outcome().equals("ok"));

        PlaneCommands.PlaneShowCommand show = wire(new PlaneCommands.PlaneShowCommand());
        show.planes = planes;
        show.name = "egov";
        show.execute();
        assertThat(output()).contains("Plane egov (table 1000): VERIFIED, in the network as planned", "fd00:0:3::d:3e8",
                "hq~county", "fd00:0:2::1, fd00:0:3::d:3e8");

        PlaneCommands.PlaneListCommand list = wire(new PlaneCommands.PlaneListCommand());
        list.planes = planes;
        list.execute();
        assertThat(output()).contains("egov", "VERIFIED", "fd10::/40");

        PlaneCommands.TopologyCommand topo = wire(new PlaneCommands.TopologyCommand());
        topo.paths = engine;
        topo.execute();
        assertThat(output()).containsPattern("r2-r3 +\\| r2 +\\| r3 +\\| 100 +\\| 40 ");

        PlaneCommands.PlaneBandwidthCommand bw = wire(new PlaneCommands.PlaneBandwidthCommand());
        bw.admin = planes;
        bw.name = "egov";
        bw.mbps = 200;
        assertThatThrownBy(bw::execute).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("Error (CONFLICT, field bandwidthMbps): egov/hq~county: bandwidth: link r2-r3 has 100 of 100 Mbps free");

        PlaneCommands.PlaneDeleteCommand delete = wire(new PlaneCommands.PlaneDeleteCommand());
        delete.admin = planes;
        delete.name = "egov";
        delete.execute();
        assertThat(controller.plane("egov")).isNull();
        assertThat(engine.reservations()).isEmpty();
    }

    @Test
    void badFilesNameTheField() throws Exception {
        PlaneCommands.PlaneApplyCommand apply = wire(new PlaneCommands.PlaneApplyCommand());
        apply.admin = planes;
        apply.file = file(PLANE.replace("r3/p1", "r9/p1"));
        assertThatThrownBy(apply::execute).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("Error (INVALID, field sites[1].attachment): unknown attachment r9/p1");
        apply.file = file(PLANE + "colour: blue\n");
        assertThatThrownBy(apply::execute).hasMessageStartingWith("Error (INVALID, field colour)");
        apply.file = dir.resolve("missing.yaml").toString();
        assertThatThrownBy(apply::execute).hasMessageStartingWith("Error (INVALID, field file): no such file");
        assertThat(engine.reservations()).isEmpty();
        PlaneCommands.PlaneListCommand list = wire(new PlaneCommands.PlaneListCommand());
        assertThatThrownBy(list::execute).hasMessageContaining("feature tianshu-planes");
    }

    @Test
    void migrateThenCutOver() throws Exception {
        PlaneCommands.PlaneMigrateCommand migrate = wire(new PlaneCommands.PlaneMigrateCommand());
        migrate.admin = planes;
        migrate.file = file("""
                network: health-private
                plane: {name: health-net, departments: [health]}
                sites:
                  - {name: hospital, attachment: r1/p1, ipv6Prefix: '2409:8a00:12::/56', addresses: keep}
                  - {name: clinic, attachment: r3/p1, ipv6Prefix: '2409:8a00:12:100::/56', addresses: map}
                """);
        migrate.execute();
        assertThat(output()).startsWith("private network health-private -> plane health-net").contains("hospital", "no");
        PlaneCommands.PlaneCutoverCommand cut = wire(new PlaneCommands.PlaneCutoverCommand());
        cut.admin = planes;
        cut.network = "health-private";
        cut.sites = List.of("hospital", "clinic");
        cut.execute();
        assertThat(output()).contains(": complete", "2409:8a00:12::/56", "fd10::/56");
        assertThat(controller.plane("health-net")).isNotNull();
    }
}
