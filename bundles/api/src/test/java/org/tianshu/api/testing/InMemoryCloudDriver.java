package org.tianshu.api.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.CatalogItem;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudDriver;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.CloudSnapshot;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.Flavor;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.tenancy.QuotaResource;

/**
 * A small test adapter for unit tests of core bundles (published in the API's test jar): one
 * in-memory cloud per endpoint, following the {@link CloudSession} contract. Real clouds are
 * exercised by the adapters' own integration tests.
 */
public class InMemoryCloudDriver implements CloudDriver {
    private final CloudKind kind;
    private final Map<String, World> worlds = new ConcurrentHashMap<>();

    public InMemoryCloudDriver(CloudKind kind) {
        this.kind = kind;
    }

    /** The cloud behind {@code endpoint}, created on first use with two hosts and flavor m1.small. */
    public World world(String endpoint) {
        return worlds.computeIfAbsent(endpoint, e -> new World());
    }

    @Override
    public CloudKind kind() {
        return kind;
    }

    @Override
    public CloudSession open(Cloud cloud, Credentials credentials) {
        World w = world(cloud.endpoint());
        if (!w.reachable) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "endpoint", "cannot reach " + cloud.endpoint());
        }
        if ("bad".equals(credentials.get("password", ""))) {
            throw TianshuException.invalid("credentials", "the cloud refused credentials '" + credentials.ref() + "'");
        }
        return new Session(cloud.id(), w);
    }

    /** State of one in-memory cloud; tests change it directly. */
    public static final class World {
        public volatile boolean reachable = true;
        /** Polls of state() a workload stays BUILDING before it turns ACTIVE. */
        public volatile int buildPolls = 1;
        /** When set, create() fails with this message. */
        public volatile String failCreate;
        /** When set, workloads go to ERROR instead of ACTIVE. */
        public volatile boolean failBuild;
        /** When set, move() fails with this message. */
        public volatile String failMove;
        /** Polls of hostOf() a move takes before the workload runs on its target. */
        public volatile int movePolls = 1;
        public final AtomicInteger moves = new AtomicInteger();
        private final Map<String, String> moving = new ConcurrentHashMap<>();
        public final List<Host> hosts = new ArrayList<>(List.of(
                new Host(null, "host-1", "az1", new Resources(16000, 65536, 500, 0), Resources.ZERO, null, true),
                new Host(null, "host-2", "az2", new Resources(16000, 65536, 500, 0), Resources.ZERO, null, true)));
        public final Map<String, Workload> workloads = new ConcurrentHashMap<>();
        public final Map<String, Map<QuotaResource, Long>> quotas = new ConcurrentHashMap<>();
        public final AtomicInteger creates = new AtomicInteger();
        public final AtomicInteger deletes = new AtomicInteger();
        private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    }

    private record Session(String cloudId, World w) implements CloudSession {
        @Override
        public CloudSnapshot discover() {
            check();
            List<Host> hosts = w.hosts.stream().map(h -> new Host(cloudId, h.name(), h.zone(), h.capacity(), h.allocated(),
                    h.gpuType(), h.up())).toList();
            List<Workload> loads = w.workloads.values().stream().map(x -> new Workload(cloudId, x.externalId(), x.name(),
                    x.kind(), x.departmentId(), x.host(), x.state(), x.resources(), x.requestId())).toList();
            return new CloudSnapshot(hosts, loads, List.of(new Flavor("1", "m1.small", 1, 2048, 20)),
                    List.of(new CatalogItem("img-1", "cirros")), List.of(new CatalogItem("net-1", "lab-net")), Instant.now());
        }

        @Override
        public Resources demand(WorkloadSpec spec) {
            check();
            if (spec.kind() == WorkloadKind.VM) {
                if (!"m1.small".equals(spec.flavor())) {
                    throw TianshuException.notFound("flavor", "flavor", spec.flavor());
                }
                if (!"cirros".equals(spec.image())) {
                    throw TianshuException.notFound("image", "image", spec.image());
                }
                return new Resources(1000, 2048, 20, 0);
            }
            if (spec.replicas() < 1) {
                throw TianshuException.invalid("replicas", "replicas must be at least 1");
            }
            return new Resources(spec.cpuMillis(), spec.memoryMiB(), 0, spec.gpus()).times(spec.replicas());
        }

        @Override
        public String create(WorkloadSpec spec, String requestId) {
            check();
            if (w.failCreate != null) {
                throw new TianshuException(TianshuException.Kind.UPSTREAM, null, w.failCreate);
            }
            String id = "w-" + w.creates.incrementAndGet();
            w.workloads.put(id, new Workload(cloudId, id, spec.name(), spec.kind(), spec.departmentId(), "host-1",
                    WorkloadState.BUILDING, demand(spec), requestId));
            return id;
        }

        @Override
        public WorkloadState state(String externalId) {
            check();
            Workload x = w.workloads.get(externalId);
            if (x == null) {
                return WorkloadState.GONE;
            }
            if (x.state() == WorkloadState.BUILDING
                    && w.polls.computeIfAbsent(externalId, k -> new AtomicInteger()).incrementAndGet() > w.buildPolls) {
                WorkloadState next = w.failBuild ? WorkloadState.ERROR : WorkloadState.ACTIVE;
                w.workloads.put(externalId, new Workload(x.cloudId(), x.externalId(), x.name(), x.kind(), x.departmentId(),
                        x.host(), next, x.resources(), x.requestId()));
                return next;
            }
            return x.state();
        }

        @Override
        public void move(String externalId, String targetHost) {
            check();
            if (w.failMove != null) {
                throw new TianshuException(TianshuException.Kind.UPSTREAM, null, w.failMove);
            }
            Workload x = w.workloads.get(externalId);
            if (x == null) {
                throw TianshuException.notFound("externalId", "workload", externalId);
            }
            if (w.hosts.stream().noneMatch(h -> h.name().equals(targetHost) && h.up())) {
                throw TianshuException.invalid("targetHost", "no host '" + targetHost + "' is up");
            }
            if (!targetHost.equals(x.host()) && w.moving.putIfAbsent(externalId, targetHost) == null) {
                w.moves.incrementAndGet();
                w.polls.put("move:" + externalId, new AtomicInteger());
            }
        }

        @Override
        public Optional<String> hostOf(String externalId) {
            check();
            Workload x = w.workloads.get(externalId);
            if (x == null) {
                return Optional.empty();
            }
            String target = w.moving.get(externalId);
            if (target != null) {
                if (w.polls.get("move:" + externalId).incrementAndGet() < w.movePolls) {
                    return Optional.empty();
                }
                w.workloads.put(externalId, new Workload(x.cloudId(), x.externalId(), x.name(), x.kind(), x.departmentId(),
                        target, x.state(), x.resources(), x.requestId()));
                w.moving.remove(externalId);
                return Optional.of(target);
            }
            return Optional.ofNullable(x.host());
        }

        @Override
        public Optional<String> findByRequest(String requestId) {
            check();
            return w.workloads.values().stream().filter(x -> requestId.equals(x.requestId())).map(Workload::externalId).findFirst();
        }

        @Override
        public void delete(String externalId) {
            check();
            if (w.workloads.remove(externalId) != null) {
                w.deletes.incrementAndGet();
            }
        }

        @Override
        public void applyQuota(String departmentId, Map<QuotaResource, Long> limits) {
            check();
            w.quotas.put(departmentId, Map.copyOf(limits));
        }

        @Override
        public void close() {
        }

        private void check() {
            if (!w.reachable) {
                throw new TianshuException(TianshuException.Kind.UPSTREAM, "endpoint", "cloud " + cloudId + " is unreachable");
            }
        }
    }
}
