package org.tianshu.inventory;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.CapacitySummary;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudAdminService;
import org.tianshu.api.cloud.CloudDriver;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.CloudStatus;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.Drift;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.event.EventType;
import org.tianshu.persistence.Jdbc;

/**
 * Wires the cloud registry and the inventory to OSGi: tracks cloud drivers, syncs every cloud
 * periodically (PID {@code org.tianshu.inventory}) and once when it is onboarded.
 */
@Component(service = {CloudService.class, CloudAdminService.class, InventoryService.class},
        configurationPid = "org.tianshu.inventory")
@Designate(ocd = InventoryComponent.Config.class)
public class InventoryComponent implements CloudService, CloudAdminService, InventoryService {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryComponent.class);

    @ObjectClassDefinition(name = "Tianshu inventory", description = "How often clouds are synced")
    public @interface Config {
        @AttributeDefinition(description = "Seconds between syncs of every cloud; 0 turns periodic sync off", min = "0")
        int syncIntervalSeconds() default 60;

        @AttributeDefinition(description = "Clouds synced at the same time", min = "1")
        int syncParallelism() default 4;
    }

    private final Map<CloudKind, CloudDriver> drivers = new ConcurrentHashMap<>();
    private final CloudRegistry registry;
    private final InventoryStore store;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "tianshu-inventory-timer"));
    private final ExecutorService syncPool;
    private volatile EventPublisher events;
    /** Clouds found unreachable since their last successful sync, with the time it was first seen. */
    private final Map<String, Instant> unreachableSince = new ConcurrentHashMap<>();

    @Activate
    public InventoryComponent(@Reference(target = "(tianshu.database=main)") DataSource dataSource, Config config) {
        this(dataSource, config.syncIntervalSeconds(), config.syncParallelism());
    }

    /** For use without OSGi (tests, benchmarks); drivers are added with {@link #addDriver}. */
    public InventoryComponent(DataSource dataSource, int syncIntervalSeconds, int syncParallelism) {
        if (syncIntervalSeconds < 0) {
            throw new IllegalArgumentException("syncIntervalSeconds must be 0 or more, got " + syncIntervalSeconds);
        }
        if (syncParallelism < 1) {
            throw new IllegalArgumentException("syncParallelism must be at least 1, got " + syncParallelism);
        }
        Jdbc jdbc = new Jdbc(dataSource);
        registry = new CloudRegistry(jdbc, drivers::get);
        store = new InventoryStore(jdbc, registry);
        syncPool = Executors.newFixedThreadPool(syncParallelism, r -> new Thread(r, "tianshu-inventory-sync"));
        if (syncIntervalSeconds > 0) {
            timer.scheduleWithFixedDelay(this::syncAll, syncIntervalSeconds, syncIntervalSeconds, TimeUnit.SECONDS);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addDriver(CloudDriver driver) {
        drivers.put(driver.kind(), driver);
    }

    /**
     * Publishes a cloud-synced event after every sync and a site-unreachable event when a cloud
     * becomes unreachable, when an event publisher is present.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public void setEventPublisher(EventPublisher publisher) {
        events = publisher;
    }

    public void unsetEventPublisher(EventPublisher publisher) {
        if (events == publisher) {
            events = null;
        }
    }

    private CloudStatus syncAndPublish(String cloudId) {
        CloudStatus s = store.sync(cloudId, e -> {
            if (e.kind() == TianshuException.Kind.UPSTREAM) {
                unreachable(cloudId, e.getMessage());
            }
        });
        if (s.reachable()) {
            unreachableSince.remove(cloudId);
        }
        EventPublisher publisher = events;
        if (publisher != null) {
            Map<String, String> attributes = new HashMap<>();
            attributes.put("outcome", s.reachable() ? "reachable" : "unreachable");
            attributes.put("hosts", Integer.toString(s.hosts()));
            attributes.put("workloads", Integer.toString(s.workloads()));
            if (s.error() != null) {
                attributes.put("error", s.error());
            }
            publisher.publish(Event.now(EventType.CLOUD_SYNCED, "cloud/" + cloudId, null, cloudId, attributes));
        }
        return s;
    }

    /** Publishes SITE_UNREACHABLE once per transition: not again until a sync of the cloud has succeeded. */
    private void unreachable(String cloudId, String reason) {
        Instant now = Instant.now();
        if (unreachableSince.putIfAbsent(cloudId, now) != null) {
            return;
        }
        EventPublisher publisher = events;
        if (publisher != null) {
            Map<String, String> attributes = new HashMap<>();
            attributes.put("cloud", cloudId);
            attributes.put("since", now.toString());
            if (reason != null) {
                attributes.put("reason", reason);
            }
            publisher.publish(new Event(EventType.SITE_UNREACHABLE, "site/" + cloudId, null, cloudId, attributes, now));
        }
    }

    public void removeDriver(CloudDriver driver) {
        if (drivers.remove(driver.kind(), driver) && registry != null) {
            registry.closeSessions(driver.kind());
        }
    }

    @Deactivate
    public void deactivate() {
        timer.shutdownNow();
        syncPool.shutdownNow();
        registry.closeAll();
    }

    private void syncAll() {
        for (Cloud c : registry.list()) {
            if (drivers.containsKey(c.kind())) {
                syncPool.submit(() -> {
                    try {
                        syncAndPublish(c.id());
                    } catch (RuntimeException e) {
                        LOG.warn("periodic sync of {} failed", c.id(), e);
                    }
                });
            }
        }
    }

    @Override
    public List<Cloud> list() {
        return registry.list();
    }

    @Override
    public Cloud get(String id) {
        return registry.get(id);
    }

    @Override
    public CloudStatus status(String id) {
        return registry.status(id);
    }

    @Override
    public CloudSession session(String id) {
        return registry.session(id);
    }

    @Override
    public void putCredentials(Credentials credentials, Caller caller) {
        caller.checkOperator();
        registry.putCredentials(credentials);
    }

    @Override
    public Cloud register(Cloud cloud, Caller caller) {
        caller.checkOperator();
        Cloud registered = registry.register(cloud);
        syncAndPublish(registered.id());
        return registered;
    }

    @Override
    public void unregister(String id, Caller caller) {
        caller.checkOperator();
        registry.unregister(id);
        unreachableSince.remove(id);
    }

    @Override
    public CloudStatus sync(String cloudId) {
        return syncAndPublish(cloudId);
    }

    @Override
    public List<Host> hosts(String cloudId) {
        return store.hosts(cloudId);
    }

    @Override
    public List<Workload> workloads(String cloudId, String departmentId) {
        return store.workloads(cloudId, departmentId);
    }

    @Override
    public List<CapacitySummary> capacity() {
        return store.capacity();
    }

    @Override
    public Drift drift(String cloudId) {
        return store.drift(cloudId);
    }
}
