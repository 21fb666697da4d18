package org.tianshu.api.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
import org.tianshu.api.dr.ReplicatingSession;
import org.tianshu.api.dr.WorkloadCopy;
import org.tianshu.api.tenancy.QuotaResource;

/**
 * A small test adapter for unit tests of core bundles (published in the API's test jar): one
 * in-memory cloud per endpoint, following the {@link CloudSession} contract, with replication
 * ({@link ReplicatingSession}) as the Kubernetes adapter does it: a copy is a stopped workload in the
 * recovery cloud, brought up in place or as a new instance in another network. Real clouds are
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
        /** When set, create() refuses with this message as the cloud's own capacity or quota refusal. */
        public volatile String refuseCreate;
        /** When set, workloads go to ERROR instead of ACTIVE. */
        public volatile boolean failBuild;
        /** When set, workloads go to ERROR instead of ACTIVE, for lack of capacity: capacityFault() gives this. */
        public volatile String refuseBuild;
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
        /** The hosts each workload was created on, as {@code create} was given them (empty: the cloud chose). */
        public final Map<String, Set<String>> createdOn = new ConcurrentHashMap<>();
        private final Map<String, String> faults = new ConcurrentHashMap<>();
        public final AtomicInteger deletes = new AtomicInteger();
        /** Network of each workload; workloads created by {@code create} run in their department's network. */
        public final Map<String, String> networks = new ConcurrentHashMap<>();
        /** Isolated networks made by {@code isolate}. */
        public final java.util.Set<String> isolated = ConcurrentHashMap.newKeySet();
        /** Calls of {@code bringUp}; when {@code failBringUp} names a workload, bringing it up fails. */
        public final AtomicInteger bringUps = new AtomicInteger();
        public volatile String failBringUp;
        private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    }

    private record Session(String cloudId, World w) implements ReplicatingSession {
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
            return create(spec, requestId, Set.of());
        }

        /** Creates the workload on the first of {@code hosts} (host-1 when empty), which must be up. */
        @Override
        public String create(WorkloadSpec spec, String requestId, Set<String> hosts) {
            check();
            if (w.failCreate != null) {
                throw new TianshuException(TianshuException.Kind.UPSTREAM, null, w.failCreate);
            }
            if (w.refuseCreate != null) {
                throw new TianshuException(TianshuException.Kind.CONFLICT, CloudSession.CAPACITY, w.refuseCreate);
            }
            String host = hosts == null || hosts.isEmpty() ? "host-1" : new TreeSet<>(hosts).first();
            if (hosts != null && !hosts.isEmpty() && w.hosts.stream().noneMatch(h -> h.name().equals(host) && h.up())) {
                throw TianshuException.invalid("hosts", "no host '" + host + "' is up");
            }
            String id = "w-" + w.creates.incrementAndGet();
            w.networks.put(id, spec.departmentId());
            w.workloads.put(id, new Workload(cloudId, id, spec.name(), spec.kind(), spec.departmentId(), host,
                    WorkloadState.BUILDING, demand(spec), requestId));
            w.createdOn.put(id, hosts == null ? Set.of() : Set.copyOf(hosts));
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
                WorkloadState next = w.failBuild || w.refuseBuild != null ? WorkloadState.ERROR : WorkloadState.ACTIVE;
                if (w.refuseBuild != null) {
                    w.faults.put(externalId, w.refuseBuild);
                }
                w.workloads.put(externalId, new Workload(x.cloudId(), x.externalId(), x.name(), x.kind(), x.departmentId(),
                        x.host(), next, x.resources(), x.requestId()));
                return next;
            }
            return x.state();
        }

        @Override
        public Optional<String> capacityFault(String externalId) {
            check();
            Workload x = w.workloads.get(externalId);
            return x == null || x.state() != WorkloadState.ERROR ? Optional.empty() : Optional.ofNullable(w.faults.get(externalId));
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
            w.networks.remove(externalId);
        }

        @Override
        public WorkloadCopy export(String externalId) {
            check();
            Workload x = w.workloads.get(externalId);
            if (x == null) {
                throw TianshuException.notFound("externalId", "workload", externalId);
            }
            Resources r = x.resources();
            String payload = String.join(";", x.kind().name(), x.departmentId() == null ? "" : x.departmentId(),
                    String.valueOf(r.cpuMillis()), String.valueOf(r.memoryMiB()), String.valueOf(r.diskGiB()),
                    String.valueOf(r.gpus()));
            return new WorkloadCopy(x.name(), externalId, w.networks.getOrDefault(externalId, x.departmentId()), payload,
                    Instant.now());
        }

        @Override
        public String keepReady(WorkloadCopy copy, String network) {
            check();
            String id = network + "/" + copy.name();
            String[] p = copy.payload().split(";", -1);
            Workload previous = w.workloads.get(id);
            WorkloadState state = previous != null && previous.state() != WorkloadState.STOPPED ? previous.state()
                    : WorkloadState.STOPPED;
            w.workloads.put(id, new Workload(cloudId, id, copy.name(), WorkloadKind.valueOf(p[0]),
                    p[1].isEmpty() ? null : p[1], "host-1", state, new Resources(Long.parseLong(p[2]),
                            Long.parseLong(p[3]), Long.parseLong(p[4]), Long.parseLong(p[5])), null));
            w.networks.put(id, network);
            return id;
        }

        @Override
        public void isolate(String network) {
            check();
            w.isolated.add(network);
        }

        @Override
        public String bringUp(String copyId, String network) {
            check();
            w.bringUps.incrementAndGet();
            Workload copy = w.workloads.get(copyId);
            if (copy == null) {
                throw TianshuException.notFound("copyId", "copy", copyId);
            }
            if (copy.name().equals(w.failBringUp)) {
                throw new TianshuException(TianshuException.Kind.UPSTREAM, null, "cannot bring up " + copy.name());
            }
            String id = network.equals(w.networks.get(copyId)) ? copyId : network + "/" + copy.name();
            Workload running = w.workloads.get(id);
            if (running == null || running.state() == WorkloadState.STOPPED) {
                w.polls.remove(id);
                w.workloads.put(id, new Workload(cloudId, id, copy.name(), copy.kind(), copy.departmentId(), copy.host(),
                        WorkloadState.BUILDING, copy.resources(), null));
                w.networks.put(id, network);
            }
            return id;
        }

        @Override
        public void stop(String externalId) {
            check();
            w.workloads.computeIfPresent(externalId, (k, x) -> new Workload(x.cloudId(), x.externalId(), x.name(),
                    x.kind(), x.departmentId(), x.host(), WorkloadState.STOPPED, x.resources(), x.requestId()));
        }

        @Override
        public void dropNetwork(String network) {
            check();
            w.networks.entrySet().removeIf(e -> {
                if (e.getValue().equals(network)) {
                    w.workloads.remove(e.getKey());
                    return true;
                }
                return false;
            });
            w.isolated.remove(network);
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
