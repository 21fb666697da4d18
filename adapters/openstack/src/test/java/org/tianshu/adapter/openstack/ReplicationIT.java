package org.tianshu.adapter.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openstack4j.api.Builders;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.compute.Server;
import org.openstack4j.model.image.v2.ContainerFormat;
import org.openstack4j.model.image.v2.DiskFormat;
import org.openstack4j.model.image.v2.Image;
import org.openstack4j.model.network.Network;
import org.openstack4j.model.network.options.PortListOptions;
import org.openstack4j.openstack.OSFactory;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.dr.NetworkMapping;
import org.tianshu.api.dr.ReplicatingSession;
import org.tianshu.api.dr.WorkloadCopy;
import org.tianshu.api.testing.LabScripts;

/**
 * Replication against the real OpenStack of {@code lab/openstack.sh}: the protected cloud is the admin project,
 * the recovery cloud project {@link #RECOVERY_PROJECT} of the same OpenStack (created here when missing).
 * Every step is called twice, as a resumed run would.
 */
class ReplicationIT {
    static final String KEYSTONE = "http://127.0.0.1:5000/v3";
    static final String RECOVERY_PROJECT = "tianshu-dr-recovery";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DEPARTMENT = "it-repl-" + RUN;

    private static ReplicatingSession production;
    private static ReplicatingSession recovery;
    private static String serverId;

    @BeforeAll
    static void lab() throws Exception {
        LabScripts.run("openstack.sh", "start");
        recoveryProject();
        production = (ReplicatingSession) new OpenStackDriver().open(cloud("lab-os", Map.of()), credentials("admin"));
        recovery = (ReplicatingSession) new OpenStackDriver().open(cloud("lab-os-dr", Map.of()),
                credentials(RECOVERY_PROJECT));
        serverId = production.create(WorkloadSpec.vm("it-repl-" + RUN, DEPARTMENT, "m1.tiny", "cirros", "lab-net"),
                "req-repl-" + RUN);
        awaitState(production, serverId, WorkloadState.ACTIVE);
    }

    @AfterAll
    static void cleanUp() {
        if (recovery != null) {
            recovery.dropNetwork("it-drill-" + RUN); // left by a failed run
            recovery.dropNetwork("it-crash-" + RUN);
        }
        OSClientV3 os = admin();
        if (serverId != null) {
            os.compute().servers().delete(serverId);
            os.imagesV2().list(Map.of(Replication.SOURCE, serverId)).forEach(i -> os.imagesV2().delete(i.getId()));
        }
        var p = os.identity().projects().getByName(DEPARTMENT, "default");
        if (p != null) {
            os.identity().projects().delete(p.getId());
        }
    }

    static Cloud cloud(String id, Map<String, String> options) {
        return new Cloud(id, null, CloudKind.OPENSTACK, "chengdu", "RegionOne", 3, false, KEYSTONE, "lab-admin", options);
    }

    static Credentials credentials(String project) {
        return new Credentials("lab-admin", Map.of("username", "admin", "password", "secret", "project", project));
    }

    static OSClientV3 admin() {
        return OSFactory.builderV3().endpoint(KEYSTONE).credentials("admin", "secret", Identifier.byName("Default"))
                .scopeToProject(Identifier.byName("admin"), Identifier.byName("Default")).authenticate();
    }

    /** The recovery project, with the admin user's admin role on it; created when missing. */
    static String recoveryProject() {
        OSClientV3 os = admin();
        var p = os.identity().projects().getByName(RECOVERY_PROJECT, "default");
        if (p == null) {
            p = os.identity().projects().create(Builders.project().name(RECOVERY_PROJECT).domainId("default")
                    .description("Tianshu DR lab: the recovery cloud").enabled(true).build());
        }
        String role = os.identity().roles().getByName("admin").get(0).getId();
        os.identity().roles().grantProjectUserRole(p.getId(), os.getToken().getUser().getId(), role);
        return p.getId();
    }

    static void awaitState(ReplicatingSession s, String id, WorkloadState wanted) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (s.state(id) != wanted) {
            assertThat(System.nanoTime()).as(id + " " + wanted).isLessThan(end);
            Thread.sleep(300);
        }
    }

    /** What the production server looks like from the cloud's side: status, task, addresses, update time, ports. */
    static Map<String, String> fingerprint(String id) {
        OSClientV3 os = admin();
        Server s = os.compute().servers().get(id);
        Map<String, String> f = new TreeMap<>();
        f.put("server", s.getStatus() + " " + s.getTaskState() + " " + s.getAddresses().getAddresses() + " "
                + s.getUpdated() + " " + s.getMetadata() + " " + s.getFlavorId());
        os.networking().port().list(PortListOptions.create().deviceId(id))
                .forEach(p -> f.put("port " + p.getId(), p.getFixedIps() + " " + p.getState() + " " + p.getNetworkId()));
        return f;
    }

    private static List<? extends Image> copyImages(String copyId) {
        return admin().imagesV2().list(Map.of("name", copyId));
    }

    @Test
    void snapshotCopyDrillNetworkFixedAddressAndCleanupEachIdempotent() throws Exception {
        long t0 = System.nanoTime();
        WorkloadCopy copy = production.export(serverId);
        long t1 = System.nanoTime();
        String copyId = recovery.keepReady(copy, copy.network());
        long t2 = System.nanoTime();
        System.out.printf("snapshot %.2f s, copy %.2f s per server%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        assertThat(copy.network()).isEqualTo("lab-net");
        assertThat(copy.sourceId()).isEqualTo(serverId);
        assertThat(copy.consistentAt()).isBefore(Instant.now());
        assertThat(copyId).isEqualTo(Replication.COPY_PREFIX + serverId);
        Map<String, String> prod = fingerprint(serverId);

        String recoveryProjectId = recoveryProject();
        assertThat(copyImages(copyId)).singleElement().satisfies(i -> {
            assertThat(i.getStatus()).isEqualTo(Image.ImageStatus.ACTIVE);
            assertThat(i.getOwner()).isEqualTo(recoveryProjectId);
            assertThat(i.getSize()).as("the cirros data, copied").isEqualTo(1L << 20);
            assertThat(i.getAdditionalPropertyValue(Replication.FLAVOR)).isEqualTo("m1.tiny");
            assertThat(i.getAdditionalPropertyValue(Replication.CONSISTENT_AT)).isEqualTo(copy.consistentAt().toString());
        });
        String firstImage = copyImages(copyId).get(0).getId();
        assertThat(recovery.keepReady(copy, copy.network())).isEqualTo(copyId);
        assertThat(copyImages(copyId)).extracting(Image::getId).containsExactly(firstImage);

        // a newer copy replaces the older one, on both sides
        WorkloadCopy newer = production.export(serverId);
        assertThat(newer.consistentAt()).isAfter(copy.consistentAt());
        assertThat(recovery.keepReady(newer, newer.network())).isEqualTo(copyId);
        assertThat(copyImages(copyId)).singleElement().satisfies(i -> {
            assertThat(i.getId()).isNotEqualTo(firstImage);
            assertThat(i.getAdditionalPropertyValue(Replication.CONSISTENT_AT)).isEqualTo(newer.consistentAt().toString());
        });
        assertThat(admin().imagesV2().list(Map.of(Replication.SOURCE, serverId, "owner", admin().getToken().getProject()
                .getId()))).as("snapshots kept on the protected side").hasSize(1);
        prod = fingerprint(serverId);

        String drill = "it-drill-" + RUN;
        recovery.isolate(drill);
        recovery.isolate(drill);
        OSClientV3 os = admin();
        Network net = os.networking().network().list(Map.of("name", drill)).get(0);
        assertThat(net.getTenantId()).isEqualTo(recoveryProjectId);
        assertThat(os.networking().port().list(PortListOptions.create().networkId(net.getId())))
                .noneMatch(p -> p.getDeviceOwner() != null && p.getDeviceOwner().startsWith("network:router"));

        String productionAddress = os.compute().servers().get(serverId).getAddresses().getAddresses("lab-net").get(0)
                .getAddr();
        NetworkMapping mapping = new NetworkMapping("lab-net", "lab-net", "10.10.0.0/24", "10.77.0.0/24", Map.of());
        String up = recovery.bringUp(copyId, drill, "web", mapping);
        assertThat(recovery.bringUp(copyId, drill, "web", mapping)).isEqualTo(up);
        awaitState(recovery, up, WorkloadState.ACTIVE);
        Server s = os.compute().servers().get(up);
        assertThat(s.getTenantId()).isEqualTo(recoveryProjectId);
        assertThat(s.getAddresses().getAddresses(drill)).extracting(a -> a.getAddr())
                .containsExactly("10.77.0." + productionAddress.substring(productionAddress.lastIndexOf('.') + 1));

        recovery.stop(up);
        assertThat(recovery.state(up)).isEqualTo(WorkloadState.STOPPED);
        assertThatCode(() -> recovery.stop(up)).doesNotThrowAnyException();

        recovery.dropNetwork(drill);
        recovery.dropNetwork(drill);
        assertThat(os.networking().network().list(Map.of("name", drill))).isEmpty();
        assertThat(recovery.state(up)).isEqualTo(WorkloadState.GONE);
        assertThat(fingerprint(serverId)).as("production untouched by the drill").isEqualTo(prod);
        assertThat(production.state(serverId)).isEqualTo(WorkloadState.ACTIVE);
    }

    @Test
    void aNetworkDrDidNotIsolateIsNeitherTakenNorRemoved() {
        OSClientV3 os = OSFactory.builderV3().endpoint(KEYSTONE).credentials("admin", "secret", Identifier.byName("Default"))
                .scopeToProject(Identifier.byId(recoveryProject())).authenticate();
        String name = "it-plain-" + RUN;
        recovery.isolate(name); // then made an ordinary network: its marking subnet swapped for another
        Network plain = os.networking().network().list(Map.of("name", name)).get(0);
        os.networking().subnet().list().stream().filter(sn -> plain.getId().equals(sn.getNetworkId()))
                .forEach(sn -> os.networking().subnet().delete(sn.getId()));
        os.networking().subnet().create(Builders.subnet().name("plain").networkId(plain.getId())
                .ipVersion(org.openstack4j.model.network.IPVersionType.V4).cidr("10.88.0.0/24").build());
        try {
            assertThatThrownBy(() -> recovery.dropNetwork(name)).isInstanceOfSatisfying(TianshuException.class, e -> {
                assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
                assertThat(e.field()).isEqualTo("network");
            });
            assertThatThrownBy(() -> recovery.isolate(name)).isInstanceOfSatisfying(TianshuException.class,
                    e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT));
            assertThat(os.networking().network().get(plain.getId())).isNotNull();
        } finally {
            os.networking().subnet().list().stream().filter(sn -> plain.getId().equals(sn.getNetworkId()))
                    .forEach(sn -> os.networking().subnet().delete(sn.getId()));
            os.networking().network().delete(plain.getId());
        }
    }

    @Test
    void stepsCutShortByACrashAreCompletedWhenCalledAgain() throws Exception {
        WorkloadCopy copy = production.export(serverId);
        String copyId = recovery.keepReady(copy, copy.network());
        // a crash during the upload of a newer copy leaves an image of that snapshot without data
        WorkloadCopy newer = production.export(serverId);
        String snapshot = newer.payload().lines().filter(l -> l.startsWith("snapshot=")).findFirst().orElseThrow()
                .substring("snapshot=".length());
        String project = recoveryProject();
        // OpenStack4j binds clients to the thread: authenticate right before the call
        Image cut = OSFactory.builderV3().endpoint(KEYSTONE).credentials("admin", "secret", Identifier.byName("Default"))
                .scopeToProject(Identifier.byId(project)).authenticate().imagesV2().create(Builders.imageV2().name(copyId).diskFormat(DiskFormat.RAW)
                .containerFormat(ContainerFormat.BARE).additionalProperty(Replication.SOURCE, serverId)
                .additionalProperty(Replication.SNAPSHOT, snapshot).additionalProperty(Replication.CONSISTENT_AT,
                        newer.consistentAt().toString()).build());
        assertThat(cut.getOwner()).isEqualTo(project);
        assertThat(recovery.keepReady(newer, newer.network())).isEqualTo(copyId);
        assertThat(copyImages(copyId)).singleElement().satisfies(i -> {
            assertThat(i.getId()).isNotEqualTo(cut.getId());
            assertThat(i.getStatus()).isEqualTo(Image.ImageStatus.ACTIVE);
            assertThat(i.getAdditionalPropertyValue(Replication.SNAPSHOT)).isEqualTo(snapshot);
        });

        // a crash after the fixed-address port was made but before the boot: the port is used, no second one
        String drill = "it-crash-" + RUN;
        recovery.isolate(drill);
        OSClientV3 os = admin();
        try {
            NetworkMapping mapping = new NetworkMapping("lab-net", "lab-net", null, "10.79.0.0/24", Map.of("web", "10.79.0.7"));
            String up = recovery.bringUp(copyId, drill, "web", mapping);
            awaitState(recovery, up, WorkloadState.ACTIVE);
            os = admin();
            os.compute().servers().delete(up);
            awaitState(recovery, up, WorkloadState.GONE);
            os = admin();
            String net = os.networking().network().list(Map.of("name", drill)).get(0).getId();
            assertThat(os.networking().port().list(PortListOptions.create().networkId(net)))
                    .as("the port outlives its server, as after a crash before the boot").hasSize(1);
            String again = recovery.bringUp(copyId, drill, "web", mapping);
            assertThat(again).isNotEqualTo(up);
            awaitState(recovery, again, WorkloadState.ACTIVE);
            os = admin();
            assertThat(os.networking().port().list(PortListOptions.create().networkId(net))).singleElement()
                    .satisfies(p -> assertThat(p.getDeviceId()).isEqualTo(again));
            assertThat(os.compute().servers().get(again).getAddresses().getAddresses(drill)).extracting(a -> a.getAddr())
                    .containsExactly("10.79.0.7");
        } finally {
            recovery.dropNetwork(drill);
        }
    }

    @Test
    void unknownServerAndUnknownCopyAreNotFound() {
        assertThatThrownBy(() -> production.export("00000000-0000-0000-0000-000000000000"))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
                    assertThat(e.field()).isEqualTo("externalId");
                });
        assertThatThrownBy(() -> recovery.bringUp(Replication.COPY_PREFIX + "nothing", "lab-net"))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
                    assertThat(e.field()).isEqualTo("copyId");
                });
    }
}
