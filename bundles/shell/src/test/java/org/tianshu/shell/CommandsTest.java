package org.tianshu.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.Set;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Caller;
import org.tianshu.api.audit.AuditEvent;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningState;
import org.tianshu.api.tenancy.QuotaResource;

/** Command logic called without a shell session, against in-memory services. */
class CommandsTest {
    private static final Caller OPS = new Caller("ops", Set.of(Caller.OPERATOR));
    private static final Caller ALICE = new Caller("alice", Set.of("dept-health"));

    private FakeTianshu t;
    private ByteArrayOutputStream printed;

    @BeforeEach
    void setUp() {
        t = new FakeTianshu();
        printed = new ByteArrayOutputStream();
        WorkloadCommands.step = java.time.Duration.ofMillis(10);
    }

    private <A extends TianshuAction> A command(A action, Caller caller) {
        action.audit = t.auditService;
        action.caller = caller;
        action.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return action;
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void cloudAddBuildsTheCloudAndAudits() throws Exception {
        t.cloudService.putCredentials(new org.tianshu.api.cloud.Credentials("xian", java.util.Map.of("token", "x")),
                OPS);
        CloudCommands.CloudAddCommand c = command(new CloudCommands.CloudAddCommand(), OPS);
        c.admin = t.cloudService;
        c.id = "xian-k8s";
        c.kind = "Kubernetes";
        c.endpoint = "https://k8s.example:6443";
        c.city = "Xi'an";
        c.zone = 3;
        c.xinchuang = true;
        c.credentials = "xian";
        c.options = List.of("namespacePrefix=ts-", "overcommit.cpu=2");
        c.execute();
        assertThat(t.clouds.get("xian-k8s").options()).containsEntry("overcommit.cpu", "2")
                .containsEntry("namespacePrefix", "ts-");
        assertThat(t.clouds.get("xian-k8s").xinchuang()).isTrue();
        assertThat(output()).contains("xian-k8s onboarded", "kubernetes", "MLPS level 3");
        assertThat(t.audit).extracting(AuditEvent::action, AuditEvent::target, AuditEvent::outcome)
                .containsExactly(tuple("cloud.register", "cloud/xian-k8s", "ok"));
    }

    @Test
    void serviceErrorsBecomeOneLineNamingTheFieldAndAreAudited() {
        CloudCommands.CloudAddCommand c = command(new CloudCommands.CloudAddCommand(), OPS);
        c.admin = t.cloudService;
        c.id = "xian-k8s";
        c.kind = "kubernetes";
        c.credentials = "nowhere";
        assertThatThrownBy(c::execute).isInstanceOfSatisfying(CommandException.class, e -> {
            assertThat(e.getMessage()).isEqualTo(
                    "Error (NOT_FOUND, field credentialsRef): credentials 'nowhere' does not exist");
            assertThat(e.getNiceHelp()).isEqualTo(e.getMessage()).doesNotContain("\n");
            assertThat(e.getCause()).isNull();
        });
        assertThat(t.audit).extracting(AuditEvent::outcome).containsExactly("NOT_FOUND");

        CloudCommands.CloudAddCommand badKind = command(new CloudCommands.CloudAddCommand(), OPS);
        badKind.admin = t.cloudService;
        badKind.kind = "vmware";
        assertThatThrownBy(badKind::execute).hasMessageStartingWith("Error (INVALID, field kind): kind must be one of");
    }

    @Test
    void cloudListShowsStatus() throws Exception {
        CloudCommands.CloudListCommand c = command(new CloudCommands.CloudListCommand(), ALICE);
        c.clouds = t.cloudService;
        c.execute();
        assertThat(output()).contains("ID", "REACHABLE", "chengdu-os", "openstack", "Chengdu", "2025-03-01T08:00:00Z");
    }

    @Test
    void credentialsAreStoredNotPrinted() throws Exception {
        CloudCommands.CredentialsSetCommand c = command(new CloudCommands.CredentialsSetCommand(), OPS);
        c.admin = t.cloudService;
        c.ref = "chengdu";
        c.values = List.of("username=tianshu", "password=s3cr3t");
        c.execute();
        assertThat(t.credentials.get("chengdu").get("password", null)).isEqualTo("s3cr3t");
        assertThat(output()).contains("password, username").doesNotContain("s3cr3t");
        assertThat(t.audit.get(0).toString()).doesNotContain("s3cr3t");

        CloudCommands.CredentialsSetCommand bad = command(new CloudCommands.CredentialsSetCommand(), OPS);
        bad.admin = t.cloudService;
        bad.ref = "x";
        bad.values = List.of("password");
        assertThatThrownBy(bad::execute).hasMessageContaining("field values");
    }

    @Test
    void departmentUserSeesOnlyOwnWorkloadsAndNoHosts() throws Exception {
        InventoryCommands.InventoryCommand c = command(new InventoryCommands.InventoryCommand(), ALICE);
        c.inventory = t.cloudService;
        c.what = "workloads";
        c.execute();
        assertThat(output()).contains("his").doesNotContain("exam");

        c.department = "edu";
        assertThatThrownBy(c::execute).hasMessageStartingWith("Error (FORBIDDEN)");
        c.department = null;
        c.what = "hosts";
        assertThatThrownBy(c::execute).hasMessageContaining("needs the admin or operator role");
        c.what = "vms";
        assertThatThrownBy(c::execute).hasMessageStartingWith("Error (INVALID, field what)");

        InventoryCommands.InventoryCommand ops = command(new InventoryCommands.InventoryCommand(), OPS);
        ops.inventory = t.cloudService;
        ops.what = "hosts";
        ops.execute();
        assertThat(output()).contains("h1", "4/64 (6%)", "A100");
    }

    @Test
    void quotaSetParsesTheLimitInTheResourceUnit() throws Exception {
        TenancyCommands.QuotaSetCommand c = command(new TenancyCommands.QuotaSetCommand(), OPS);
        c.quotas = t.quotaService;
        c.department = "health";
        c.resource = "memory";
        c.limit = "64Gi";
        c.cloud = "chengdu-os";
        c.execute();
        assertThat(t.quotas.get("health/chengdu-os/MEMORY").limit()).isEqualTo(65536);
        assertThat(output()).contains("set to 64Gi (65536 MiB)");
        assertThat(t.audit).extracting(AuditEvent::action, AuditEvent::target)
                .containsExactly(tuple("quota.set", "department/health/quota/memory@chengdu-os"));

        c.resource = "cpu";
        c.limit = "lots";
        assertThatThrownBy(c::execute).hasMessage(
                "Error (INVALID, field limit): limit must be CPU like 500m, 2 or 0.5; got 'lots'");
        c.resource = "bandwidth";
        assertThatThrownBy(c::execute).hasMessageStartingWith("Error (INVALID, field resource)");

        TenancyCommands.QuotaListCommand list = command(new TenancyCommands.QuotaListCommand(), ALICE);
        list.quotas = t.quotaService;
        list.departments = t.departmentService;
        list.execute();
        assertThat(output()).contains("health", "chengdu-os", "memory", "64Gi");
        list.department = "edu";
        assertThatThrownBy(list::execute).hasMessageStartingWith("Error (FORBIDDEN)");
    }

    @Test
    void vmCreateWaitsForActiveAndPrintsProgress() throws Exception {
        WorkloadCommands.VmCreateCommand c = command(new WorkloadCommands.VmCreateCommand(), ALICE);
        c.provisioning = t.provisioningService;
        c.name = "his-web";
        c.cloud = "chengdu-os";
        c.department = "health";
        c.flavor = "m1.small";
        c.image = "kylin-v10";
        c.execute();
        Provisioning p = t.requests.get("req-1");
        assertThat(p.spec().kind()).isEqualTo(WorkloadKind.VM);
        assertThat(p.state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(output()).containsSubsequence("Request req-1 accepted", "RESERVED", "CREATING", "ACTIVE",
                "his-web is ACTIVE as srv-req-1");
        assertThat(t.audit).extracting(AuditEvent::principal, AuditEvent::action, AuditEvent::outcome)
                .containsExactly(tuple("alice", "workload.create", "ok"));
    }

    @Test
    void vmCreateNoWaitReturnsAtOnce() throws Exception {
        WorkloadCommands.VmCreateCommand c = command(new WorkloadCommands.VmCreateCommand(), ALICE);
        c.provisioning = t.provisioningService;
        c.name = "his-web";
        c.cloud = "chengdu-os";
        c.department = "health";
        c.flavor = "m1.small";
        c.image = "kylin-v10";
        c.noWait = true;
        c.idempotencyKey = "k1";
        c.execute();
        assertThat(t.awaits).isZero();
        assertThat(t.requests.get("req-1").idempotencyKey()).isEqualTo("k1");
        assertThat(output()).contains("req-1", "RESERVED");
    }

    @Test
    void failedProvisioningIsAnErrorWithItsCause() {
        t.script.clear();
        t.script.add(ProvisioningState.COMPENSATING);
        t.script.add(ProvisioningState.FAILED);
        WorkloadCommands.VmCreateCommand c = command(new WorkloadCommands.VmCreateCommand(), ALICE);
        c.provisioning = t.provisioningService;
        c.name = "his-web";
        c.cloud = "chengdu-os";
        c.department = "health";
        c.flavor = "m1.small";
        c.image = "kylin-v10";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("req-1 failed: image kylin-v10 not found");
        assertThat(output()).contains("COMPENSATING");
    }

    @Test
    void workloadCreateParsesCpuAndMemory() throws Exception {
        WorkloadCommands.WorkloadCreateCommand c = command(new WorkloadCommands.WorkloadCreateCommand(), OPS);
        c.provisioning = t.provisioningService;
        c.name = "exam-api";
        c.cloud = "chengdu-os";
        c.department = "edu";
        c.image = "registry.example/exam:1.2";
        c.replicas = 3;
        c.cpu = "500m";
        c.memory = "2Gi";
        c.gpus = 1;
        c.statefulset = true;
        c.noWait = true;
        c.execute();
        var spec = t.requests.get("req-1").spec();
        assertThat(spec.kind()).isEqualTo(WorkloadKind.CONTAINER);
        assertThat(spec.cpuMillis()).isEqualTo(500);
        assertThat(spec.memoryMiB()).isEqualTo(2048);
        assertThat(spec.replicas()).isEqualTo(3);
        assertThat(spec.gpus()).isEqualTo(1);
        assertThat(spec.controller()).isEqualTo("statefulset");

        c.memory = "2GB?";
        assertThatThrownBy(c::execute).hasMessageStartingWith("Error (INVALID, field memory)");
        c.memory = "1Gi";
        c.replicas = 0;
        assertThatThrownBy(c::execute).hasMessageStartingWith("Error (INVALID, field replicas)");
        c.replicas = 1;
        c.department = "nowhere";
        assertThatThrownBy(c::execute).hasMessage(
                "Error (NOT_FOUND, field department): department 'nowhere' does not exist");
        assertThat(t.audit).extracting(AuditEvent::outcome).containsExactly("ok", "NOT_FOUND");
    }

    @Test
    void workloadListAndDelete() throws Exception {
        t.provisioningService.submit("chengdu-os", org.tianshu.api.cloud.WorkloadSpec.vm("his", "health", "m1", "img",
                null), null, OPS);
        t.provisioningService.submit("chengdu-os", org.tianshu.api.cloud.WorkloadSpec.vm("exam", "edu", "m1", "img",
                null), null, OPS);
        WorkloadCommands.WorkloadListCommand list = command(new WorkloadCommands.WorkloadListCommand(), ALICE);
        list.provisioning = t.provisioningService;
        list.execute();
        assertThat(output()).contains("his").doesNotContain("exam");

        t.script.clear();
        t.script.add(ProvisioningState.DELETED);
        WorkloadCommands.WorkloadDeleteCommand del = command(new WorkloadCommands.WorkloadDeleteCommand(), ALICE);
        del.provisioning = t.provisioningService;
        del.id = "req-1";
        del.execute();
        assertThat(output()).containsSubsequence("Deleting his", "DELETING", "DELETED", "his deleted");
        del.id = "req-2";
        assertThatThrownBy(del::execute).hasMessageStartingWith("Error (NOT_FOUND, field id)");
        assertThat(t.audit).extracting(AuditEvent::action, AuditEvent::outcome)
                .containsExactly(tuple("workload.delete", "ok"), tuple("workload.delete", "NOT_FOUND"));
    }

    @Test
    void departmentsAndAudit() throws Exception {
        TenancyCommands.DeptAddCommand add = command(new TenancyCommands.DeptAddCommand(), OPS);
        add.departments = t.departmentService;
        add.id = "tax";
        add.name = "省税务局";
        add.execute();
        assertThatThrownBy(add::execute).hasMessage("Error (CONFLICT, field id): department 'tax' exists");

        printed.reset();
        TenancyCommands.DeptListCommand list = command(new TenancyCommands.DeptListCommand(), ALICE);
        list.departments = t.departmentService;
        list.execute();
        assertThat(output()).contains("health").doesNotContain("tax", "edu");

        AuditCommand audit = command(new AuditCommand(), OPS);
        audit.execute();
        assertThat(output()).contains("department.create", "department/tax", "CONFLICT", "ok");
        assertThatThrownBy(command(new AuditCommand(), ALICE)::execute).hasMessageStartingWith("Error (FORBIDDEN)");
    }

    @Test
    void capacityAndDrift() throws Exception {
        InventoryCommands.CapacityCommand cap = command(new InventoryCommands.CapacityCommand(), ALICE);
        cap.inventory = t.cloudService;
        cap.execute();
        assertThat(output()).contains("chengdu-os", "8Gi/256Gi (3%)");
        InventoryCommands.DriftCommand drift = command(new InventoryCommands.DriftCommand(), OPS);
        drift.inventory = t.cloudService;
        drift.cloud = "chengdu-os";
        drift.execute();
        assertThat(output()).contains("Unmanaged in chengdu-os", "exam", "Missing from chengdu-os");
    }

    @Test
    void callerComesFromTheJaasSubject() throws Exception {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("alice"));
        subject.getPrincipals().add(new RolePrincipal("dept-health"));
        subject.getPrincipals().add(new RolePrincipal("viewer"));
        @SuppressWarnings("removal")
        Caller caller = Subject.doAs(subject, (PrivilegedExceptionAction<Caller>) ShellCaller::current);
        assertThat(caller.name()).isEqualTo("alice");
        assertThat(caller.roles()).containsExactlyInAnyOrder("dept-health", "viewer");
        assertThat(ShellCaller.current()).isEqualTo(Caller.SYSTEM);
        assertThat(QuotaResource.parse("r", "GPUS")).isEqualTo(QuotaResource.GPUS);
    }
}
