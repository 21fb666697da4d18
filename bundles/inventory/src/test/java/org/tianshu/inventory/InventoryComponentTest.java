package org.tianshu.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudStatus;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.testing.InMemoryCloudDriver;
import org.tianshu.persistence.Database;
import org.tianshu.persistence.Jdbc;

class InventoryComponentTest {
    @TempDir
    Path dir;
    Database db;
    InventoryComponent inventory;
    InMemoryCloudDriver openstack = new InMemoryCloudDriver(CloudKind.OPENSTACK);

    @BeforeEach
    void setUp() {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "", 4);
        inventory = new InventoryComponent(db.dataSource(), 0, 2);
        inventory.addDriver(openstack);
        inventory.putCredentials(new Credentials("lab", Map.of("username", "admin", "password", "secret")), Caller.SYSTEM);
    }

    @AfterEach
    void tearDown() {
        inventory.deactivate();
        db.close();
    }

    static Cloud cloud(String id, String endpoint) {
        return new Cloud(id, null, CloudKind.OPENSTACK, "成都", "RegionOne", 3, true, endpoint, "lab", Map.of());
    }

    @Test
    void registerSyncsHostsAndShowsCapacity() {
        Cloud c = inventory.register(cloud("chengdu-os", "http://os.chengdu:5000/v3"), Caller.SYSTEM);
        assertThat(c.name()).isEqualTo("chengdu-os");
        assertThat(inventory.list()).extracting(Cloud::id).containsExactly("chengdu-os");
        CloudStatus s = inventory.status("chengdu-os");
        assertThat(s.reachable()).isTrue();
        assertThat(s.hosts()).isEqualTo(2);
        assertThat(inventory.hosts("chengdu-os")).extracting(h -> h.name() + "@" + h.zone()).containsExactly("host-1@az1", "host-2@az2");
        assertThat(inventory.capacity()).singleElement().satisfies(cap -> {
            assertThat(cap.hosts()).isEqualTo(2);
            assertThat(cap.capacity()).isEqualTo(new Resources(32000, 131072, 1000, 0));
        });
    }

    @Test
    void everySyncPublishesACloudSyncedEvent() {
        java.util.List<org.tianshu.api.event.Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.tianshu.api.event.EventPublisher publisher = events::add;
        inventory.setEventPublisher(publisher);
        inventory.register(cloud("chengdu-os", "http://os.chengdu:5000/v3"), Caller.SYSTEM);
        inventory.sync("chengdu-os");
        assertThat(events).hasSize(2).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(org.tianshu.api.event.EventType.CLOUD_SYNCED);
            assertThat(e.subject()).isEqualTo("cloud/chengdu-os");
            assertThat(e.cloudId()).isEqualTo("chengdu-os");
            assertThat(e.attributes()).containsEntry("outcome", "reachable").containsEntry("hosts", "2");
        });
        inventory.unsetEventPublisher(publisher);
        inventory.sync("chengdu-os");
        assertThat(events).hasSize(2);
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndStoresNothing() {
        assertThatThrownBy(() -> inventory.register(cloud("Bad_Id", "http://x:1"), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("id"));
        assertThatThrownBy(() -> inventory.register(cloud("a", "not a url"), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("endpoint"));
        assertThatThrownBy(() -> inventory.register(new Cloud("a", null, CloudKind.OPENSTACK, "x", null, 9, false,
                "http://x:1", "lab", Map.of()), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("securityZone"));
        assertThatThrownBy(() -> inventory.register(new Cloud("a", null, CloudKind.OPENSTACK, "x", null, 2, false,
                "http://x:1", "nope", Map.of()), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
                    assertThat(e.field()).isEqualTo("credentialsRef");
                });
        assertThatThrownBy(() -> inventory.register(new Cloud("k", null, CloudKind.KUBERNETES, "x", null, 2, false,
                "http://x:1", "lab", Map.of()), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("kind"));
        openstack.world("http://down:5000").reachable = false;
        assertThatThrownBy(() -> inventory.register(cloud("down", "http://down:5000"), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.UPSTREAM);
                    assertThat(e.field()).isEqualTo("endpoint");
                });
        inventory.putCredentials(new Credentials("wrong", Map.of("password", "bad")), Caller.SYSTEM);
        assertThatThrownBy(() -> inventory.register(new Cloud("w", null, CloudKind.OPENSTACK, "x", null, 2, false,
                "http://w:1", "wrong", Map.of()), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("credentials"));
        assertThat(inventory.list()).isEmpty();
    }

    @Test
    void onlyOperatorsOnboardAndDuplicatesConflict() {
        Caller user = new Caller("alice", Set.of("dept-health"));
        assertThatThrownBy(() -> inventory.register(cloud("a", "http://a:1"), user))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.FORBIDDEN));
        inventory.register(cloud("a", "http://a:1"), Caller.SYSTEM);
        assertThatThrownBy(() -> inventory.register(cloud("a", "http://a:1"), Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT));
    }

    @Test
    void unreachableCloudKeepsItsLastInventoryAndReportsTheError() {
        inventory.register(cloud("a", "http://a:1"), Caller.SYSTEM);
        openstack.world("http://a:1").reachable = false;
        CloudStatus s = inventory.sync("a");
        assertThat(s.reachable()).isFalse();
        assertThat(s.error()).contains("unreachable");
        assertThat(inventory.hosts("a")).hasSize(2);
        openstack.world("http://a:1").reachable = true;
        assertThat(inventory.sync("a").reachable()).isTrue();
    }

    @Test
    void siteUnreachableIsPublishedOncePerOutageAndAgainAfterRecovery() {
        java.util.List<org.tianshu.api.event.Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        inventory.setEventPublisher(events::add);
        inventory.register(cloud("a", "http://a:1"), Caller.SYSTEM);
        openstack.world("http://a:1").reachable = false;
        inventory.sync("a");
        inventory.sync("a");
        inventory.sync("a");
        assertThat(unreachableEvents(events)).singleElement().satisfies(e -> {
            assertThat(e.subject()).isEqualTo("site/a");
            assertThat(e.cloudId()).isEqualTo("a");
            assertThat(e.attributes()).containsEntry("cloud", "a").containsKey("since")
                    .hasEntrySatisfying("reason", r -> assertThat(r).contains("unreachable"));
        });
        assertThat(events).filteredOn(e -> e.type() == org.tianshu.api.event.EventType.CLOUD_SYNCED).hasSize(4);

        openstack.world("http://a:1").reachable = true;
        inventory.sync("a");
        assertThat(unreachableEvents(events)).hasSize(1);
        openstack.world("http://a:1").reachable = false;
        inventory.sync("a");
        inventory.sync("a");
        assertThat(unreachableEvents(events)).hasSize(2);
    }

    private static java.util.List<org.tianshu.api.event.Event> unreachableEvents(java.util.List<org.tianshu.api.event.Event> events) {
        return events.stream().filter(e -> e.type() == org.tianshu.api.event.EventType.SITE_UNREACHABLE).toList();
    }

    @Test
    void concurrentSyncsOfOneCloudDoNotCollide() throws Exception {
        inventory.register(cloud("a", "http://a:1"), Caller.SYSTEM);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var syncs = new java.util.ArrayList<java.util.concurrent.Future<CloudStatus>>();
            for (int i = 0; i < 8; i++) {
                syncs.add(pool.submit(() -> inventory.sync("a")));
            }
            for (var f : syncs) {
                assertThat(f.get().reachable()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(inventory.hosts("a")).hasSize(2);
    }

    @Test
    void driftShowsUnmanagedAndMissingWorkloads() {
        inventory.register(cloud("a", "http://a:1"), Caller.SYSTEM);
        InMemoryCloudDriver.World w = openstack.world("http://a:1");
        w.workloads.put("manual", new Workload(null, "manual", "hand-made", WorkloadKind.VM, null, "host-1",
                WorkloadState.ACTIVE, new Resources(1000, 1024, 10, 0), null));
        Jdbc jdbc = new Jdbc(db.dataSource());
        jdbc.update("INSERT INTO department(id, name, created_at) VALUES ('health', 'Health', ?)", Instant.now());
        jdbc.update("INSERT INTO provisioning(id, department_id, cloud_id, name, kind, spec_json, cpu, memory, disk, gpus, state,"
                + " external_id, requested_by, created_at, updated_at) VALUES ('r1', 'health', 'a', 'web', 'VM', '{}', 1000, 2048,"
                + " 20, 0, 'ACTIVE', 'vanished', 'alice', ?, ?)", Instant.now(), Instant.now());
        inventory.sync("a");
        var drift = inventory.drift("a");
        assertThat(drift.unmanaged()).extracting(Workload::externalId).containsExactly("manual");
        assertThat(drift.missing()).extracting(Workload::name).containsExactly("web");
        assertThat(drift.missing().get(0).state()).isEqualTo(WorkloadState.GONE);
    }

    @Test
    void unregisterRemovesInventoryButRefusesWhileTianshuWorkloadsLive() {
        inventory.register(cloud("a", "http://a:1"), Caller.SYSTEM);
        Jdbc jdbc = new Jdbc(db.dataSource());
        jdbc.update("INSERT INTO department(id, name, created_at) VALUES ('health', 'Health', ?)", Instant.now());
        jdbc.update("INSERT INTO provisioning(id, department_id, cloud_id, name, kind, spec_json, cpu, memory, disk, gpus, state,"
                + " requested_by, created_at, updated_at) VALUES ('r1', 'health', 'a', 'web', 'VM', '{}', 0, 0, 0, 0, 'ACTIVE',"
                + " 'alice', ?, ?)", Instant.now(), Instant.now());
        assertThatThrownBy(() -> inventory.unregister("a", Caller.SYSTEM))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT));
        jdbc.update("UPDATE provisioning SET state = 'DELETED'");
        inventory.unregister("a", Caller.SYSTEM);
        assertThat(inventory.list()).isEmpty();
        assertThat(inventory.hosts(null)).isEmpty();
    }
}
