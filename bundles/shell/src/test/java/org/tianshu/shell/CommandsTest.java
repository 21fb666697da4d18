package org.tianshu.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.audit.AuditEvent;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudStatus;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningState;
import org.tianshu.api.tenancy.Quota;
import org.tianshu.api.tenancy.QuotaResource;
import org.tianshu.api.testing.InMemoryCloudDriver;
import org.tianshu.testing.TestPlatform;

/** Command logic called without a shell session, against the real core services on in-memory H2 and clouds. */
class CommandsTest {
    private static final Caller OPS = new Caller("ops", Set.of(Caller.OPERATOR));
    private static final Caller ALICE = new Caller("alice", Set.of("dept-health"));
    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestPlatform t;
    private InMemoryCloudDriver.World chengdu;
    private ByteArrayOutputStream printed;

    @BeforeEach
    void setUp() {
        t = new TestPlatform();
        t.onboard("chengdu-os", CloudKind.OPENSTACK, "Chengdu");
        t.onboard("chengdu-k8s", CloudKind.KUBERNETES, "Chengdu");
        chengdu = t.world("chengdu-os");
        chengdu.hosts.clear();
        chengdu.hosts.add(new Host(null, "h1", "nova", new Resources(64000, 262144, 2000, 2),
                new Resources(4000, 8192, 80, 0), "A100", true));
        t.department("health", "省卫生健康委");
        t.department("edu", "省教育厅");
        t.unmanaged("chengdu-os", "his", "health", new Resources(2000, 4096, 40, 0));
        t.unmanaged("chengdu-os", "exam", "edu", new Resources(2000, 4096, 40, 0));
        printed = new ByteArrayOutputStream();
        WorkloadCommands.step = Duration.ofMillis(10);
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    private <A extends TianshuAction> A command(A action, Caller caller) {
        action.audit = t.audit();
        action.caller = caller;
        action.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return action;
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** vm-create his-web in chengdu-os for health, as alice. */
    private WorkloadCommands.VmCreateCommand hisWeb() {
        WorkloadCommands.VmCreateCommand c = command(new WorkloadCommands.VmCreateCommand(), ALICE);
        c.provisioning = t.provisioning();
        c.name = "his-web";
        c.cloud = "chengdu-os";
        c.department = "health";
        c.flavor = "m1.small";
        c.image = "cirros";
        return c;
    }

    private Provisioning only(String department) {
        List<Provisioning> all = t.provisioning().list(department, OPS);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void cloudAddBuildsTheCloudAndAudits() throws Exception {
        t.cloudAdmin().putCredentials(new org.tianshu.api.cloud.Credentials("xian", Map.of("token", "x")), OPS);
        CloudCommands.CloudAddCommand c = command(new CloudCommands.CloudAddCommand(), OPS);
        c.admin = t.cloudAdmin();
        c.id = "xian-k8s";
        c.kind = "Kubernetes";
        c.endpoint = "https://k8s.example:6443";
        c.city = "Xi'an";
        c.zone = 3;
        c.xinchuang = true;
        c.credentials = "xian";
        c.options = List.of("namespacePrefix=ts-", "overcommit.cpu=2");
        c.execute();
        assertThat(t.clouds().get("xian-k8s").options()).containsEntry("overcommit.cpu", "2")
                .containsEntry("namespacePrefix", "ts-");
        assertThat(t.clouds().get("xian-k8s").xinchuang()).isTrue();
        assertThat(t.clouds().status("xian-k8s").reachable()).isTrue();
        assertThat(output()).contains("xian-k8s onboarded", "kubernetes", "MLPS level 3");
        assertThat(t.auditTrail()).extracting(AuditEvent::action, AuditEvent::target, AuditEvent::outcome)
                .containsExactly(tuple("cloud.register", "cloud/xian-k8s", "ok"));
    }

    @Test
    void serviceErrorsBecomeOneLineNamingTheFieldAndAreAudited() {
        CloudCommands.CloudAddCommand c = command(new CloudCommands.CloudAddCommand(), OPS);
        c.admin = t.cloudAdmin();
        c.id = "xian-k8s";
        c.kind = "kubernetes";
        c.endpoint = "https://k8s.example:6443";
        c.city = "Xi'an";
        c.zone = 3;
        c.credentials = "nowhere";
        assertThatThrownBy(c::execute).isInstanceOfSatisfying(CommandException.class, e -> {
            assertThat(e.getMessage()).isEqualTo(
                    "Error (NOT_FOUND, field credentialsRef): credentials 'nowhere' does not exist");
            assertThat(e.getNiceHelp()).isEqualTo(e.getMessage()).doesNotContain("\n");
            assertThat(e.getCause()).isNull();
        });
        assertThat(t.auditTrail()).extracting(AuditEvent::outcome).containsExactly("NOT_FOUND");
        assertThat(t.clouds().list()).extracting(org.tianshu.api.cloud.Cloud::id)
                .containsExactly("chengdu-k8s", "chengdu-os");

        c.zone = 5;
        assertThatThrownBy(c::execute).hasMessageStartingWith("Error (INVALID, field securityZone)");

        CloudCommands.CloudAddCommand badKind = command(new CloudCommands.CloudAddCommand(), OPS);
        badKind.admin = t.cloudAdmin();
        badKind.kind = "vmware";
        assertThatThrownBy(badKind::execute).hasMessageStartingWith("Error (INVALID, field kind): kind must be one of");
    }

    @Test
    void cloudListShowsStatus() throws Exception {
        CloudCommands.CloudListCommand c = command(new CloudCommands.CloudListCommand(), ALICE);
        c.clouds = t.clouds();
        c.execute();
        CloudStatus status = t.clouds().status("chengdu-os");
        assertThat(output()).contains("ID", "REACHABLE", "chengdu-os", "openstack", "Chengdu", "yes",
                status.lastSync().toString());
    }

    @Test
    void credentialsAreStoredNotPrinted() throws Exception {
        CloudCommands.CredentialsSetCommand c = command(new CloudCommands.CredentialsSetCommand(), OPS);
        c.admin = t.cloudAdmin();
        c.ref = TestPlatform.CREDENTIALS;
        c.values = List.of("username=tianshu", "password=s3cr3t");
        c.execute();
        assertThat(output()).contains("password, username").doesNotContain("s3cr3t");
        assertThat(t.auditTrail()).extracting(AuditEvent::action).containsExactly("credentials.put");
        assertThat(t.auditTrail().get(0).toString()).doesNotContain("s3cr3t");
        assertThat(t.inventory().sync("chengdu-os").reachable()).isTrue();

        // what was stored is what the cloud is given: a secret it refuses makes the next sync fail
        c.values = List.of("password=bad");
        c.execute();
        CloudStatus refused = t.inventory().sync("chengdu-os");
        assertThat(refused.reachable()).isFalse();
        assertThat(refused.error()).contains("refused credentials '" + TestPlatform.CREDENTIALS + "'");

        CloudCommands.CredentialsSetCommand bad = command(new CloudCommands.CredentialsSetCommand(), OPS);
        bad.admin = t.cloudAdmin();
        bad.ref = "x";
        bad.values = List.of("password");
        assertThatThrownBy(bad::execute).hasMessageContaining("field values");
    }

    @Test
    void departmentUserSeesOnlyOwnWorkloadsAndNoHosts() throws Exception {
        InventoryCommands.InventoryCommand c = command(new InventoryCommands.InventoryCommand(), ALICE);
        c.inventory = t.inventory();
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
        ops.inventory = t.inventory();
        ops.what = "hosts";
        ops.execute();
        assertThat(output()).contains("h1", "4/64 (6%)", "A100");
    }

    @Test
    void quotaSetParsesTheLimitInTheResourceUnit() throws Exception {
        TenancyCommands.QuotaSetCommand c = command(new TenancyCommands.QuotaSetCommand(), OPS);
        c.quotas = t.quotas();
        c.department = "health";
        c.resource = "memory";
        c.limit = "64Gi";
        c.cloud = "chengdu-os";
        c.execute();
        assertThat(t.quotas().list("health", OPS)).containsExactly(
                new Quota("health", "chengdu-os", QuotaResource.MEMORY, 65536, 0));
        assertThat(chengdu.quotas.get("health")).isEqualTo(Map.of(QuotaResource.MEMORY, 65536L));
        assertThat(output()).contains("set to 64Gi (65536 MiB)");
        assertThat(t.auditTrail()).extracting(AuditEvent::action, AuditEvent::target)
                .containsExactly(tuple("quota.set", "department/health/quota/memory@chengdu-os"));

        c.resource = "cpu";
        c.limit = "lots";
        assertThatThrownBy(c::execute).hasMessage(
                "Error (INVALID, field limit): limit must be CPU like 500m, 2 or 0.5; got 'lots'");
        c.resource = "bandwidth";
        assertThatThrownBy(c::execute).hasMessageStartingWith("Error (INVALID, field resource)");

        TenancyCommands.QuotaListCommand list = command(new TenancyCommands.QuotaListCommand(), ALICE);
        list.quotas = t.quotas();
        list.departments = t.departments();
        list.execute();
        assertThat(output()).contains("health", "chengdu-os", "memory", "64Gi");
        list.department = "edu";
        assertThatThrownBy(list::execute).hasMessageStartingWith("Error (FORBIDDEN)");
    }

    @Test
    void vmCreateWaitsForActiveAndPrintsProgress() throws Exception {
        chengdu.buildPolls = 10;
        WorkloadCommands.VmCreateCommand c = hisWeb();
        c.execute();
        Provisioning p = only("health");
        assertThat(p.spec().kind()).isEqualTo(WorkloadKind.VM);
        assertThat(p.state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(chengdu.workloads.get(p.externalId()).requestId()).isEqualTo(p.id());
        assertThat(t.journal(p.id())).containsExactly(ProvisioningState.RESERVED, ProvisioningState.CREATING,
                ProvisioningState.CREATING, ProvisioningState.ACTIVE);
        assertThat(output()).containsSubsequence("Request " + p.id() + " accepted", "RESERVED", "CREATING", "ACTIVE",
                "his-web is ACTIVE as " + p.externalId());
        assertThat(t.auditTrail()).extracting(AuditEvent::principal, AuditEvent::action, AuditEvent::outcome)
                .containsExactly(tuple("alice", "workload.create", "ok"));
    }

    @Test
    void vmCreateWithoutCloudLetsTheSchedulerChooseAndShowsWhy() throws Exception {
        t.onboard("mianyang-os", CloudKind.OPENSTACK, "Mianyang");
        WorkloadCommands.VmCreateCommand c = hisWeb();
        c.cloud = null;
        c.city = "Mianyang";
        c.execute();
        Provisioning p = only("health");
        assertThat(p.cloudId()).isEqualTo("mianyang-os");
        assertThat(p.state()).isEqualTo(ProvisioningState.ACTIVE);
        assertThat(output()).containsSubsequence("accepted: vm his-web in mianyang-os", "placed by the scheduler",
                "chengdu-os: rejected by RESIDENCY", "mianyang-os: fits", "his-web is ACTIVE");

        c.name = "his-db";
        c.city = "Lhasa";
        assertThatThrownBy(c::execute).hasMessageStartingWith("Error (INVALID, field constraints.residency)");
        c.city = null;
        c.minZone = "4";
        assertThatThrownBy(c::execute).hasMessageStartingWith("Error (CONFLICT, field placement)")
                .hasMessageContaining("SECURITY_ZONE");
        c.cloud = "chengdu-os";
        assertThatThrownBy(c::execute).hasMessageStartingWith("Error (INVALID, field cloud)");
        assertThat(t.provisioning().list("health", OPS)).hasSize(1);
    }

    @Test
    void vmCreateNoWaitReturnsAtOnce() throws Exception {
        WorkloadCommands.VmCreateCommand c = hisWeb();
        c.noWait = true;
        c.idempotencyKey = "k1";
        c.execute();
        Provisioning p = only("health");
        assertThat(p.idempotencyKey()).isEqualTo("k1");
        assertThat(output()).containsSubsequence("Request " + p.id() + " accepted", "RESERVED")
                .doesNotContain("CREATING", "ACTIVE");

        printed.reset();
        c.execute();
        assertThat(output()).contains("Request " + p.id() + " accepted");
        assertThat(only("health").id()).isEqualTo(p.id());
    }

    @Test
    void failedProvisioningIsAnErrorWithItsCause() {
        chengdu.failCreate = "nova: No valid host was found";
        WorkloadCommands.VmCreateCommand c = hisWeb();
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("failed: nova: No valid host was found");
        Provisioning p = only("health");
        assertThat(p.state()).isEqualTo(ProvisioningState.FAILED);
        assertThat(output()).contains("Request " + p.id() + " accepted", "RESERVED");
        // COMPENSATING may pass between two polls of the command; the journal has every step
        assertThat(t.journal(p.id())).containsExactly(ProvisioningState.RESERVED, ProvisioningState.CREATING,
                ProvisioningState.COMPENSATING, ProvisioningState.FAILED);
    }

    @Test
    void workloadCreateParsesCpuAndMemory() throws Exception {
        WorkloadCommands.WorkloadCreateCommand c = command(new WorkloadCommands.WorkloadCreateCommand(), OPS);
        c.provisioning = t.provisioning();
        c.name = "exam-api";
        c.cloud = "chengdu-k8s";
        c.department = "edu";
        c.image = "registry.example/exam:1.2";
        c.replicas = 3;
        c.cpu = "500m";
        c.memory = "2Gi";
        c.gpus = 1;
        c.statefulset = true;
        c.noWait = true;
        c.execute();
        var spec = only("edu").spec();
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
        assertThat(t.auditTrail()).extracting(AuditEvent::outcome).containsExactly("ok", "NOT_FOUND");
    }

    @Test
    void workloadListAndDelete() throws Exception {
        Provisioning his = t.provisioning().submit("chengdu-os", WorkloadSpec.vm("his", "health", "m1.small", "cirros",
                null), null, OPS);
        Provisioning exam = t.provisioning().submit("chengdu-os", WorkloadSpec.vm("exam", "edu", "m1.small", "cirros",
                null), null, OPS);
        WorkloadCommands.WorkloadListCommand list = command(new WorkloadCommands.WorkloadListCommand(), ALICE);
        list.provisioning = t.provisioning();
        list.execute();
        assertThat(output()).contains("his", his.id()).doesNotContain("exam", exam.id());

        assertThat(t.provisioning().await(his.id(), WAIT, OPS).state()).isEqualTo(ProvisioningState.ACTIVE);
        WorkloadCommands.WorkloadDeleteCommand del = command(new WorkloadCommands.WorkloadDeleteCommand(), ALICE);
        del.provisioning = t.provisioning();
        del.id = his.id();
        del.execute();
        assertThat(output()).containsSubsequence("Deleting his", "DELETING", "DELETED", "his deleted");
        assertThat(chengdu.workloads.values()).noneMatch(w -> his.id().equals(w.requestId()));
        del.id = exam.id();
        assertThatThrownBy(del::execute).hasMessageStartingWith("Error (NOT_FOUND, field id)");
        assertThat(t.auditTrail()).extracting(AuditEvent::action, AuditEvent::outcome)
                .containsExactly(tuple("workload.delete", "ok"), tuple("workload.delete", "NOT_FOUND"));
    }

    @Test
    void departmentsAndAudit() throws Exception {
        TenancyCommands.DeptAddCommand add = command(new TenancyCommands.DeptAddCommand(), OPS);
        add.departments = t.departments();
        add.id = "tax";
        add.name = "省税务局";
        add.execute();
        assertThatThrownBy(add::execute).hasMessage("Error (CONFLICT, field id): department 'tax' already exists");

        printed.reset();
        TenancyCommands.DeptListCommand list = command(new TenancyCommands.DeptListCommand(), ALICE);
        list.departments = t.departments();
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
        cap.inventory = t.inventory();
        cap.execute();
        assertThat(output()).contains("chengdu-os", "8Gi/256Gi (3%)");

        // a VM Tianshu provisioned that someone deleted in the cloud itself
        Provisioning web = t.provisioning().await(t.provisioning().submit("chengdu-os",
                WorkloadSpec.vm("his-web", "health", "m1.small", "cirros", null), null, OPS).id(), WAIT, OPS);
        assertThat(web.state()).isEqualTo(ProvisioningState.ACTIVE);
        chengdu.workloads.remove(web.externalId());
        t.inventory().sync("chengdu-os");

        printed.reset();
        InventoryCommands.DriftCommand drift = command(new InventoryCommands.DriftCommand(), OPS);
        drift.inventory = t.inventory();
        drift.cloud = "chengdu-os";
        drift.execute();
        assertThat(output()).containsSubsequence("Unmanaged in chengdu-os (not provisioned by Tianshu): 2", "exam",
                "his", "Missing from chengdu-os (provisioned by Tianshu, gone from the cloud): 1", "his-web");
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
