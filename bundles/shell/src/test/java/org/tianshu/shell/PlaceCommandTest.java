package org.tianshu.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Host;
import org.tianshu.testing.TestPlatform;

/** {@code tianshu:place} against the real placement engine over the test platform's clouds. */
class PlaceCommandTest {
    private TestPlatform t;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        t = new TestPlatform();
        t.onboard("chengdu-os", CloudKind.OPENSTACK, "Chengdu");
        t.onboard("mianyang-k8s", CloudKind.KUBERNETES, "Mianyang");
        t.world("chengdu-os").hosts.clear();
        t.world("chengdu-os").hosts.add(new Host(null, "gpu-1", "nova", new Resources(64000, 262144, 2000, 4),
                Resources.ZERO, "A100", true));
        t.sync("chengdu-os");
        t.department("health", "省卫生健康委");
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    private PlaceCommand place(String cpu, String memory) {
        PlaceCommand c = new PlaceCommand();
        c.scheduler = t.scheduler();
        c.audit = t.audit();
        c.caller = Caller.SYSTEM;
        c.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        c.department = "health";
        c.cpu = cpu;
        c.memory = memory;
        return c;
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void gpuRequestGoesToTheGpuHostAndTheOtherCloudIsExplained() throws Exception {
        PlaceCommand c = place("8", "32Gi");
        c.gpus = "1";
        c.gpuType = "A100";
        c.count = "2";
        c.execute();
        assertThat(output()).startsWith("FEASIBLE").contains("chengdu-os", "gpu-1", "mianyang-k8s", "rejected: GPU_TYPE");
    }

    @Test
    void residencyThatNoCloudMeetsIsRefusedWithTheReason() throws Exception {
        PlaceCommand c = place("1", "1Gi");
        c.city = "Chengdu";
        c.clouds = List.of("mianyang-k8s");
        c.execute();
        assertThat(output()).startsWith("REFUSED").contains("rejected: RESIDENCY", "rejected: ALLOWED_CLOUDS");
    }

    @Test
    void unknownCityNamesTheField() {
        PlaceCommand c = place("1", "1Gi");
        c.city = "Zigong";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("field constraints.residency");
    }

    @Test
    void badSizeNamesTheOption() {
        assertThatThrownBy(() -> place("lots", "1Gi").execute()).isInstanceOf(CommandException.class)
                .hasMessageContaining("field cpu");
    }
}
