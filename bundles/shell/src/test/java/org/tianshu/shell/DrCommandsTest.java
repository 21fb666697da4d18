package org.tianshu.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.dr.PlanWorkload;
import org.tianshu.api.dr.ProtectedWorkload;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.RecoveryPlan;
import org.tianshu.testing.TestPlatform;

/** The dr-* commands without a shell session, against the real DR engine on in-memory H2 and clouds. */
class DrCommandsTest {
    private static final Caller OPS = new Caller("ops", Set.of(Caller.OPERATOR));

    @TempDir
    Path dir;
    private TestPlatform t;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        t = new TestPlatform();
        t.onboard("chengdu-k8s", CloudKind.KUBERNETES, "Chengdu");
        t.onboard("mianyang-k8s", CloudKind.KUBERNETES, "Mianyang");
        t.department("health", "省卫生健康委");
        t.unmanaged("chengdu-k8s", "db", "health", new Resources(500, 512, 0, 0));
        t.unmanaged("chengdu-k8s", "web", "health", new Resources(500, 512, 0, 0));
        t.drAdmin().createGroup(ProtectionGroup.of("his", "health", "chengdu-k8s", "mianyang-k8s", List.of(
                new ProtectedWorkload("db", "ext-db"), new ProtectedWorkload("web", "ext-web")), 300), OPS);
        t.drAdmin().createPlan(new RecoveryPlan("his-plan", "his", List.of(new PlanWorkload("db", 1, List.of(), List.of()),
                new PlanWorkload("web", 2, List.of("db"), List.of())), List.of(), List.of(), "his-drill", false), OPS);
        DrCommands.step = Duration.ofMillis(10);
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    private <A extends TianshuAction> A command(A action) {
        action.audit = t.audit();
        action.caller = OPS;
        action.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return action;
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void drillShowsLiveProgressReportAndCleanup() throws Exception {
        DrCommands.GroupsCommand groups = command(new DrCommands.GroupsCommand());
        groups.dr = t.dr();
        groups.execute();
        assertThat(output()).contains("his", "no copy", "YES");
        t.drAdmin().replicate("his", OPS);

        DrCommands.RunCommand failover = command(new DrCommands.RunCommand());
        failover.dr = t.dr();
        failover.drAdmin = t.drAdmin();
        failover.plan = "his-plan";
        failover.operation = "failover";
        assertThatThrownBy(failover::execute).isInstanceOf(CommandException.class).hasMessageContaining("confirmed");

        printed.reset();
        DrCommands.RunCommand drill = command(new DrCommands.RunCommand());
        drill.dr = t.dr();
        drill.drAdmin = t.drAdmin();
        drill.plan = "his-plan";
        drill.operation = "drill";
        drill.execute();
        assertThat(output()).containsSubsequence("isolate", "DONE", "bring_up", "db (p1)", "DONE: his-drill/db",
                "group_up", "bring_up", "web (p2)", "DONE", "TEST_COMPLETE");
        String run = t.dr().runs("his-plan", OPS).get(0).id();

        printed.reset();
        DrCommands.ReportCommand report = command(new DrCommands.ReportCommand());
        report.dr = t.dr();
        report.run = run;
        report.html = dir.resolve("drill.html").toString();
        report.pdf = dir.resolve("drill.pdf").toString();
        report.execute();
        assertThat(output()).contains("measured RTO", "priority group 2 up after", "achieved RPO", "PDF report written to");
        assertThat(Files.readString(dir.resolve("drill.html"))).contains("Measured RTO", "his-drill/web");
        try (var doc = org.apache.pdfbox.Loader.loadPDF(dir.resolve("drill.pdf").toFile())) {
            assertThat(new org.apache.pdfbox.text.PDFTextStripper().getText(doc)).contains("Recovery plan his-plan",
                    "Measured RTO", "his-drill/web");
        }

        printed.reset();
        DrCommands.CleanupCommand cleanup = command(new DrCommands.CleanupCommand());
        cleanup.dr = t.dr();
        cleanup.drAdmin = t.drAdmin();
        cleanup.run = run;
        cleanup.execute();
        assertThat(output()).containsSubsequence("remove", "drop_network", "cleanup", "SUCCEEDED");
        assertThat(t.world("mianyang-k8s").isolated).isEmpty();
        assertThat(t.auditTrail()).extracting(e -> e.action()).contains("dr.run.start", "dr.run.cleanup");
    }

    @Test
    void schedulesShowNextRunsAndHistory() throws Exception {
        t.scheduleDrills("his-plan=0 0 2 ? * SUN 2099");
        DrCommands.SchedulesCommand schedules = command(new DrCommands.SchedulesCommand());
        schedules.dr = t.dr();
        schedules.execute();
        // the first Sundays of 2099 (1 January 2099 is a Thursday)
        assertThat(output()).contains("his-plan", "0 0 2 ? * SUN 2099", "2099-01-04T02:00:00Z 2099-01-11T02:00:00Z"
                + " 2099-01-18T02:00:00Z").doesNotContain("2099-01-25");
    }
}
