package org.tianshu.adapter.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.tianshu.api.testing.LabScripts;
import org.junit.jupiter.api.Test;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.compute.QuotaSet;
import org.openstack4j.model.identity.v3.Project;
import org.openstack4j.openstack.OSFactory;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.CloudSnapshot;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.tenancy.QuotaResource;

/** Drives the adapter against the real OpenStack of {@code lab/openstack.sh}, which it starts when needed. */
class OpenStackDriverIT {
    private static final String KEYSTONE = "http://127.0.0.1:5000/v3";
    private static final Duration ACTIVE_WITHIN = Duration.ofSeconds(120);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> PROJECTS = new ArrayList<>();
    /** The lab's two compute hosts (lab/openstack.sh). */
    private static final String HOST_1 = "lab-compute-1";
    private static final String HOST_2 = "lab-compute-2";

    private static final OpenStackDriver DRIVER = new OpenStackDriver();
    private static CloudSession session;

    @BeforeAll
    static void startLab() throws Exception {
        LabScripts.run("openstack.sh", "start");
        session = DRIVER.open(cloud(KEYSTONE), credentials("secret"));
    }

    @AfterAll
    static void cleanUp() {
        if (session != null) {
            session.close();
        }
        OSClientV3 os = admin();
        for (String name : PROJECTS) {
            Project p = os.identity().projects().getByName(name, "default");
            if (p != null) {
                os.identity().projects().delete(p.getId());
            }
        }
    }

    private static Cloud cloud(String endpoint) {
        return new Cloud("lab-os", "Lab OpenStack", CloudKind.OPENSTACK, "chengdu", "RegionOne", 3, false, endpoint,
                "lab-admin", Map.of());
    }

    private static Credentials credentials(String password) {
        return new Credentials("lab-admin", Map.of("username", "admin", "password", password, "project", "admin"));
    }

    /** A plain OpenStack4j admin client, to check what the adapter did from the cloud's side. */
    private static OSClientV3 admin() {
        return OSFactory.builderV3().endpoint(KEYSTONE)
                .credentials("admin", "secret", Identifier.byName("Default"))
                .scopeToProject(Identifier.byName("admin"), Identifier.byName("Default")).authenticate();
    }

    private static String department(String what) {
        String id = "it-" + what + "-" + RUN;
        PROJECTS.add(id);
        return id;
    }

    @Test
    void goodCredentialsOpenASession() {
        try (CloudSession s = DRIVER.open(cloud(KEYSTONE), credentials("secret"))) {
            assertThat(s.discover().flavors()).isNotEmpty();
        }
    }

    @Test
    void badPasswordIsInvalidCredentials() {
        assertThatThrownBy(() -> DRIVER.open(cloud(KEYSTONE), credentials("wrong")))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
                    assertThat(e.field()).isEqualTo("credentials");
                    assertThat(e.getMessage()).contains("admin").contains(KEYSTONE);
                });
    }

    @Test
    void unreachableEndpointIsUpstreamEndpoint() {
        assertThatThrownBy(() -> DRIVER.open(cloud("http://127.0.0.1:1/v3"), credentials("secret")))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.UPSTREAM);
                    assertThat(e.field()).isEqualTo("endpoint");
                    assertThat(e.getMessage()).contains("cannot reach").contains("127.0.0.1:1");
                });
    }

    @Test
    void discoverSeesTheComputeHostsAndTheCatalog() {
        CloudSnapshot snap = session.discover();
        assertThat(snap.hosts()).extracting(h -> h.name()).contains(HOST_1, HOST_2);
        assertThat(snap.hosts()).filteredOn(h -> h.name().startsWith("lab-compute-")).allSatisfy(h -> {
            assertThat(h.cloudId()).isEqualTo("lab-os");
            assertThat(h.zone()).isEqualTo("nova");
            assertThat(h.up()).isTrue();
            assertThat(h.capacity()).isEqualTo(new Resources(32_000, 131_072, 2000, 0));
            assertThat(h.capacity().covers(h.allocated())).isTrue();
        });
        assertThat(snap.flavors()).anySatisfy(f -> {
            assertThat(f.name()).isEqualTo("m1.tiny");
            assertThat(f.vcpus()).isEqualTo(1);
            assertThat(f.ramMiB()).isEqualTo(512);
            assertThat(f.diskGiB()).isEqualTo(1);
        });
        assertThat(snap.flavors()).extracting(f -> f.name()).contains("m1.small", "m1.medium");
        assertThat(snap.images()).extracting(i -> i.name()).contains("cirros");
        assertThat(snap.networks()).extracting(n -> n.name()).contains("lab-net");
        assertThat(snap.takenAt()).isNotNull();
    }

    @Test
    void demandIsTheFlavorSize() {
        assertThat(session.demand(WorkloadSpec.vm("web", "health", "m1.medium", "cirros", "lab-net")))
                .isEqualTo(new Resources(2000, 4096, 40, 0));
        assertThat(session.demand(WorkloadSpec.vm("web", "health", "m1.small", "cirros", null)))
                .isEqualTo(new Resources(1000, 2048, 20, 0));
    }

    @Test
    void demandNamesTheMissingField() {
        assertNotFound(WorkloadSpec.vm("web", "health", "m9.huge", "cirros", null), "flavor", "m9.huge");
        assertNotFound(WorkloadSpec.vm("web", "health", "m1.tiny", "windows-3.1", null), "image", "windows-3.1");
        assertNotFound(WorkloadSpec.vm("web", "health", "m1.tiny", "cirros", "no-such-net"), "network", "no-such-net");
    }

    private static void assertNotFound(WorkloadSpec spec, String field, String name) {
        assertThatThrownBy(() -> session.demand(spec)).isInstanceOfSatisfying(TianshuException.class, e -> {
            assertThat(e.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(name);
        });
    }

    @Test
    void serverLifecycleInANewDepartment() throws Exception {
        String dept = department("vm");
        String requestId = "req-" + RUN;
        assertThat(admin().identity().projects().getByName(dept, "default")).isNull();

        long t0 = System.nanoTime();
        String id = session.create(WorkloadSpec.vm("it-vm-" + RUN, dept, "m1.tiny", "cirros", "lab-net"), requestId);
        assertThat(id).isNotBlank();
        Project project = admin().identity().projects().getByName(dept, "default");
        assertThat(project).as("project of the new department").isNotNull();

        WorkloadState state = session.state(id);
        long deadline = System.nanoTime() + ACTIVE_WITHIN.toNanos();
        while (state == WorkloadState.BUILDING && System.nanoTime() < deadline) {
            Thread.sleep(500);
            state = session.state(id);
        }
        assertThat(state).isEqualTo(WorkloadState.ACTIVE);
        System.out.printf("server %s ACTIVE %.1f s after create%n", id, (System.nanoTime() - t0) / 1e9);

        assertThat(session.findByRequest(requestId)).contains(id);
        assertThat(session.capacityFault(id)).isEmpty();
        assertThat(session.discover().workloads()).anySatisfy(w -> {
            assertThat(w.externalId()).isEqualTo(id);
            assertThat(w.departmentId()).isEqualTo(dept);
            assertThat(w.requestId()).isEqualTo(requestId);
            assertThat(w.state()).isEqualTo(WorkloadState.ACTIVE);
            assertThat(w.resources()).isEqualTo(new Resources(1000, 512, 1, 0));
            assertThat(w.host()).isIn(HOST_1, HOST_2);
        });
        assertThat(admin().compute().servers().get(id).getTenantId()).isEqualTo(project.getId());

        session.delete(id);
        deadline = System.nanoTime() + ACTIVE_WITHIN.toNanos();
        while (session.state(id) != WorkloadState.GONE && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertThat(session.state(id)).isEqualTo(WorkloadState.GONE);
        assertThatCode(() -> session.delete(id)).doesNotThrowAnyException();
        assertThat(session.findByRequest(requestId)).isEmpty();
    }

    /** Waits until the server is ACTIVE with no task under way. */
    private static void awaitActive(String id) throws InterruptedException {
        long deadline = System.nanoTime() + ACTIVE_WITHIN.toNanos();
        while (session.hostOf(id).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertThat(session.state(id)).isEqualTo(WorkloadState.ACTIVE);
    }

    @Test
    void createOnAChosenHostLandsThere() throws Exception {
        String dept = department("pin");
        // both hosts, so that landing on the chosen one is not the scheduler's luck
        for (String host : List.of(HOST_2, HOST_1)) {
            String id = session.create(WorkloadSpec.vm("it-pin-" + RUN, dept, "m1.tiny", "cirros", "lab-net"),
                    "req-pin-" + host + "-" + RUN, java.util.Set.of(host));
            try {
                awaitActive(id);
                assertThat(session.hostOf(id)).contains(host);
                assertThat(admin().compute().servers().get(id).getHypervisorHostname()).isEqualTo(host);
            } finally {
                session.delete(id);
            }
        }
        assertThatThrownBy(() -> session.create(WorkloadSpec.vm("it-pin2-" + RUN, dept, "m1.tiny", "cirros", "lab-net"),
                "req-pin2-" + RUN, java.util.Set.of(HOST_1, HOST_2))).isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
                    assertThat(e.field()).isEqualTo("hosts");
                });
        assertThat(session.findByRequest("req-pin2-" + RUN)).isEmpty();
    }

    @Test
    void moveLiveMigratesToTheOtherComputeHost() throws Exception {
        String dept = department("mv");
        String id = session.create(WorkloadSpec.vm("it-mv-" + RUN, dept, "m1.tiny", "cirros", "lab-net"), "req-mv-" + RUN,
                java.util.Set.of(HOST_1));
        try {
            awaitActive(id);
            assertThat(session.hostOf(id)).contains(HOST_1);
            // already there: nothing to do; a hypervisor Nova does not know: refused, naming the server
            assertThatCode(() -> session.move(id, HOST_1)).doesNotThrowAnyException();
            assertThatThrownBy(() -> session.move(id, "lab-compute-9")).isInstanceOfSatisfying(TianshuException.class, e -> {
                assertThat(e.kind()).isEqualTo(TianshuException.Kind.UPSTREAM);
                assertThat(e.getMessage()).contains(id, "lab-compute-9");
            });
            assertThat(session.hostOf(id)).contains(HOST_1);

            long t0 = System.nanoTime();
            session.move(id, HOST_2);
            long deadline = System.nanoTime() + ACTIVE_WITHIN.toNanos();
            while (!session.hostOf(id).equals(java.util.Optional.of(HOST_2)) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            System.out.printf("server %s live-migrated %s -> %s in %.1f s%n", id, HOST_1, HOST_2, (System.nanoTime() - t0) / 1e9);
            assertThat(session.hostOf(id)).contains(HOST_2);
            assertThat(admin().compute().servers().get(id).getHypervisorHostname()).isEqualTo(HOST_2);
            assertThat(session.state(id)).isEqualTo(WorkloadState.ACTIVE);
            assertThat(session.discover().workloads()).anySatisfy(w -> {
                assertThat(w.externalId()).isEqualTo(id);
                assertThat(w.host()).isEqualTo(HOST_2);
            });
            assertThatCode(() -> session.move(id, HOST_2)).doesNotThrowAnyException();
            assertThat(session.hostOf(id)).contains(HOST_2);

            assertThatThrownBy(() -> session.move("00000000-0000-0000-0000-000000000000", HOST_1))
                    .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND));
        } finally {
            session.delete(id);
        }
    }

    @Test
    void aServerNoHostCanTakeHasACapacityFaultAndAQuotaRefusalIsACapacityConflict() throws Exception {
        OSClientV3 os = admin();
        org.openstack4j.model.compute.Flavor huge = os.compute().flavors().create(org.openstack4j.api.Builders.flavor()
                .name("it-huge-" + RUN).vcpus(1).ram(1_000_000).disk(1).isPublic(true).build());
        String dept = department("huge");
        try {
            // Nova's default project quota (50 GiB of RAM) refuses it at once
            assertThatThrownBy(() -> session.create(WorkloadSpec.vm("it-huge-" + RUN, dept, huge.getName(), "cirros", "lab-net"),
                    "req-huge0-" + RUN)).isInstanceOfSatisfying(TianshuException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
                        assertThat(e.field()).isEqualTo(CloudSession.CAPACITY);
                        assertThat(e.getMessage()).containsIgnoringCase("quota exceeded").contains("lab-os");
                    });
            // without a quota, Nova accepts it and then finds no host with 1,000,000 MiB
            session.applyQuota(dept, Map.of());
            String id = session.create(WorkloadSpec.vm("it-huge-" + RUN, dept, huge.getName(), "cirros", "lab-net"),
                    "req-huge-" + RUN);
            try {
                long deadline = System.nanoTime() + ACTIVE_WITHIN.toNanos();
                while (session.state(id) == WorkloadState.BUILDING && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                }
                assertThat(session.state(id)).isEqualTo(WorkloadState.ERROR);
                assertThat(session.capacityFault(id)).hasValueSatisfying(f -> assertThat(f).contains("No valid host", "lab-os"));
            } finally {
                session.delete(id);
            }
        } finally {
            os.compute().flavors().delete(huge.getId());
        }
    }

    @Test
    void applyQuotaSetsTheNovaQuota() {
        String dept = department("quota");
        session.applyQuota(dept, Map.of(QuotaResource.CPU, 4000L, QuotaResource.MEMORY, 8192L,
                QuotaResource.INSTANCES, 3L));
        OSClientV3 os = admin();
        String projectId = os.identity().projects().getByName(dept, "default").getId();
        QuotaSet q = os.compute().quotaSets().get(projectId);
        assertThat(q.getCores()).isEqualTo(4);
        assertThat(q.getRam()).isEqualTo(8192);
        assertThat(q.getInstances()).isEqualTo(3);

        session.applyQuota(dept, Map.of(QuotaResource.CPU, 2000L));
        q = os.compute().quotaSets().get(projectId);
        assertThat(q.getCores()).isEqualTo(2);
        assertThat(q.getRam()).isEqualTo(-1);
        assertThat(q.getInstances()).isEqualTo(-1);
    }
}
