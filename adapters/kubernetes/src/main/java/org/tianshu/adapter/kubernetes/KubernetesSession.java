package org.tianshu.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.CloudSnapshot;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.dr.ReplicatingSession;
import org.tianshu.api.dr.WorkloadCopy;
import org.tianshu.api.scheduling.Usage;
import org.tianshu.api.tenancy.QuotaResource;

/**
 * A session to one Kubernetes cluster. Discovery makes one list call per kind (namespaces, nodes, pods,
 * Deployments, StatefulSets), paged with {@code limit}/{@code continue}, and aggregates page by page; it never
 * asks per object.
 */
final class KubernetesSession implements ReplicatingSession {
    /** Name of the ResourceQuota that mirrors a department's Tianshu limits. */
    static final String QUOTA_NAME = "tianshu";
    /** Namespaces whose workloads are the cluster's own, never listed. */
    static final Set<String> SYSTEM_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private final String cloudId;
    private final KubernetesClient client;
    private final String gpuTypeLabel;
    private final int pageSize;
    private final Replication replication;

    KubernetesSession(String cloudId, KubernetesClient client, String gpuTypeLabel, int pageSize) {
        this.cloudId = cloudId;
        this.client = client;
        this.gpuTypeLabel = gpuTypeLabel;
        this.pageSize = pageSize;
        this.replication = new Replication(cloudId, client);
    }

    // ---------------------------------------------------------------- discovery

    /** Per-node accumulator. */
    private static final class NodeAcc {
        final Host base;
        long cpu;
        long mem;
        long disk;
        long gpus;

        NodeAcc(Host base) {
            this.base = base;
        }
    }

    /** Where a workload's pods run: one node, or several (null). */
    private static final class Placement {
        String node;
        boolean several;
    }

    @Override
    public CloudSnapshot discover() {
        Map<String, String> departments = new HashMap<>();
        Set<String> visible = new java.util.HashSet<>();
        each("list namespaces", o -> client.namespaces().list(o), ns -> {
            String name = ns.getMetadata().getName();
            if (!SYSTEM_NAMESPACES.contains(name)) {
                visible.add(name);
                String dept = ns.getMetadata().getLabels() == null ? null
                        : ns.getMetadata().getLabels().get(Workloads.DEPARTMENT);
                if (dept != null && !dept.isBlank()) {
                    departments.put(name, dept);
                }
            }
        });
        Map<String, NodeAcc> nodes = new LinkedHashMap<>();
        each("list nodes", o -> client.nodes().list(o), n -> nodes.put(n.getMetadata().getName(), new NodeAcc(host(n))));
        Map<String, Placement> placements = new HashMap<>();
        each("list pods", o -> client.pods().inAnyNamespace().list(o), p -> {
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            if (node == null || !active(p)) {
                return;
            }
            NodeAcc acc = nodes.get(node);
            if (acc != null) {
                Units.Raw r = Units.requests(p.getSpec());
                acc.cpu += r.cpuMillis();
                acc.mem += r.memoryBytes();
                acc.disk += r.storageBytes();
                acc.gpus += r.gpus();
            }
            String owner = ownerId(p);
            if (owner != null) {
                Placement pl = placements.computeIfAbsent(owner, k -> new Placement());
                if (pl.node == null) {
                    pl.node = node;
                } else if (!pl.node.equals(node)) {
                    pl.several = true;
                }
            }
        });
        List<Host> hosts = new ArrayList<>(nodes.size());
        for (NodeAcc a : nodes.values()) {
            Host b = a.base;
            hosts.add(new Host(cloudId, b.name(), b.zone(), b.capacity(),
                    new Units.Raw(a.cpu, a.mem, a.disk, a.gpus).claimed(), b.gpuType(), b.up()));
        }
        List<Workload> workloads = new ArrayList<>();
        each("list deployments", o -> client.apps().deployments().inAnyNamespace().list(o), d -> {
            String ns = d.getMetadata().getNamespace();
            if (visible.contains(ns)) {
                workloads.add(workload(ns, Workloads.DEPLOYMENT, d, d.getSpec() == null ? null : d.getSpec().getReplicas(),
                        d.getSpec() == null ? null : d.getSpec().getTemplate(),
                        d.getStatus() == null ? null : d.getStatus().getReadyReplicas(), departments, placements));
            }
        });
        each("list statefulsets", o -> client.apps().statefulSets().inAnyNamespace().list(o), s -> {
            String ns = s.getMetadata().getNamespace();
            if (visible.contains(ns)) {
                workloads.add(workload(ns, Workloads.STATEFULSET, s, s.getSpec() == null ? null : s.getSpec().getReplicas(),
                        s.getSpec() == null ? null : s.getSpec().getTemplate(),
                        s.getStatus() == null ? null : s.getStatus().getReadyReplicas(), departments, placements));
            }
        });
        return new CloudSnapshot(hosts, workloads, List.of(), List.of(), List.of(), Instant.now());
    }

    private <T extends HasMetadata, L extends KubernetesResourceList<T>> void each(String what,
            Function<ListOptions, L> list, Consumer<T> sink) {
        String next = null;
        do {
            ListOptions options = new ListOptionsBuilder().withLimit(pageSize > 0 ? (long) pageSize : null)
                    .withContinue(next).build();
            L page = Errors.call(cloudId, what, () -> list.apply(options));
            page.getItems().forEach(sink);
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
    }

    private Host host(Node n) {
        Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
        Resources capacity = n.getStatus() == null ? Resources.ZERO
                : Units.of(n.getStatus().getAllocatable()).offered();
        List<NodeCondition> conditions = n.getStatus() == null ? null : n.getStatus().getConditions();
        boolean ready = conditions == null || conditions.isEmpty() || conditions.stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        boolean cordoned = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
        String gpuType = capacity.gpus() > 0 || labels.containsKey(gpuTypeLabel) ? labels.get(gpuTypeLabel) : null;
        return new Host(cloudId, n.getMetadata().getName(), labels.get(ZONE_LABEL), capacity, Resources.ZERO, gpuType,
                ready && !cordoned);
    }

    private static boolean active(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    /**
     * External id of the controller owning {@code p}: a StatefulSet directly, a Deployment directly (the lab) or
     * through its ReplicaSet {@code <deployment>-<pod-template-hash>} (real clusters).
     */
    static String ownerId(Pod p) {
        List<OwnerReference> refs = p.getMetadata().getOwnerReferences();
        if (refs == null) {
            return null;
        }
        String ns = p.getMetadata().getNamespace();
        for (OwnerReference r : refs) {
            switch (r.getKind()) {
                case "StatefulSet":
                    return Workloads.externalId(ns, Workloads.STATEFULSET, r.getName());
                case "Deployment":
                    return Workloads.externalId(ns, Workloads.DEPLOYMENT, r.getName());
                case "ReplicaSet": {
                    String hash = p.getMetadata().getLabels() == null ? null
                            : p.getMetadata().getLabels().get("pod-template-hash");
                    if (hash != null && r.getName().endsWith("-" + hash)) {
                        return Workloads.externalId(ns, Workloads.DEPLOYMENT,
                                r.getName().substring(0, r.getName().length() - hash.length() - 1));
                    }
                    return null;
                }
                default:
                    break;
            }
        }
        return null;
    }

    private Workload workload(String ns, String controller, HasMetadata o, Integer specReplicas, PodTemplateSpec template,
            Integer ready, Map<String, String> departments, Map<String, Placement> placements) {
        String id = Workloads.externalId(ns, controller, o.getMetadata().getName());
        int replicas = specReplicas == null ? 1 : specReplicas;
        Resources perReplica = Units.requests(template == null ? null : template.getSpec()).claimed();
        Placement pl = placements.get(id);
        return new Workload(cloudId, id, o.getMetadata().getName(), WorkloadKind.CONTAINER, departments.get(ns),
                pl == null || pl.several ? null : pl.node, state(replicas, ready), perReplica.times(replicas),
                requestId(o));
    }

    private static WorkloadState state(int replicas, Integer ready) {
        if (replicas == 0) {
            return WorkloadState.STOPPED;
        }
        return ready != null && ready >= replicas ? WorkloadState.ACTIVE : WorkloadState.BUILDING;
    }

    private static String requestId(HasMetadata o) {
        Map<String, String> a = o.getMetadata().getAnnotations();
        if (a != null && a.get(Workloads.REQUEST) != null) {
            return a.get(Workloads.REQUEST);
        }
        Map<String, String> l = o.getMetadata().getLabels();
        return l == null ? null : l.get(Workloads.REQUEST);
    }

    // ---------------------------------------------------------------- provisioning

    @Override
    public Resources demand(WorkloadSpec spec) {
        Workloads.validate(spec);
        return Workloads.perReplica(spec).times(spec.replicas());
    }

    @Override
    public String create(WorkloadSpec spec, String requestId) {
        return create(spec, requestId, Set.of());
    }

    /**
     * Creates the controller; on {@code hosts} its pod template is pinned to those nodes as {@link #move} pins it
     * (one node: nodeSelector {@code kubernetes.io/hostname}; several: a required node affinity to them).
     */
    @Override
    public String create(WorkloadSpec spec, String requestId, Set<String> hosts) {
        String controller = Workloads.validate(spec);
        Validation.required("requestId", requestId);
        Set<String> nodes = hosts == null ? Set.of() : new TreeSet<>(hosts);
        for (String n : nodes) {
            if (Errors.call(cloudId, "read node " + n, () -> client.nodes().withName(n).get()) == null) {
                throw TianshuException.invalid("hosts", "cloud " + cloudId + " has no node '" + n + "'");
            }
        }
        ensureNamespace(spec.departmentId());
        String id = Workloads.externalId(spec.departmentId(), controller, spec.name());
        HasMetadata object = Workloads.build(spec, controller, requestId);
        if (!nodes.isEmpty()) {
            pin(object instanceof Deployment d ? d.getSpec().getTemplate() : ((StatefulSet) object).getSpec().getTemplate(),
                    nodes);
        }
        try {
            if (object instanceof Deployment d) {
                client.apps().deployments().inNamespace(spec.departmentId()).resource(d).create();
            } else {
                client.apps().statefulSets().inNamespace(spec.departmentId()).resource((StatefulSet) object).create();
            }
            return id;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw Errors.translate(cloudId, "create " + id, e);
            }
        }
        HasMetadata existing = get(Workloads.parse(id));
        if (existing != null && requestId.equals(requestId(existing))) {
            return id;
        }
        throw TianshuException.conflict("name", "a " + controller + " named '" + spec.name()
                + "' already exists in namespace '" + spec.departmentId() + "' of cluster " + cloudId);
    }

    private void ensureNamespace(String department) {
        Namespace ns = Errors.call(cloudId, "read namespace " + department,
                () -> client.namespaces().withName(department).get());
        if (ns == null) {
            try {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(department)
                        .addToLabels(Workloads.DEPARTMENT, department).addToLabels(Workloads.MANAGED_BY, "tianshu")
                        .endMetadata().build()).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw Errors.translate(cloudId, "create namespace " + department, e);
                }
                ns = Errors.call(cloudId, "read namespace " + department,
                        () -> client.namespaces().withName(department).get());
            }
        }
        String label = ns.getMetadata().getLabels() == null ? null : ns.getMetadata().getLabels().get(Workloads.DEPARTMENT);
        if (label == null) {
            Errors.call(cloudId, "label namespace " + department, () -> client.namespaces().withName(department)
                    .edit(n -> {
                        n.getMetadata().getLabels().put(Workloads.DEPARTMENT, department);
                        return n;
                    }));
        } else if (!label.equals(department)) {
            throw TianshuException.conflict("departmentId", "namespace '" + department + "' of cluster " + cloudId
                    + " belongs to department '" + label + "'");
        }
    }

    private HasMetadata get(String[] id) {
        return Errors.call(cloudId, "read " + String.join("/", id), () -> Workloads.DEPLOYMENT.equals(id[1])
                ? client.apps().deployments().inNamespace(id[0]).withName(id[2]).get()
                : client.apps().statefulSets().inNamespace(id[0]).withName(id[2]).get());
    }

    /** The node label a move pins the pods to. */
    static final String HOSTNAME = "kubernetes.io/hostname";

    /**
     * Reschedules the workload's pods onto {@code targetHost}: pins its pod template to the node (nodeSelector
     * {@code kubernetes.io/hostname}), so the controller's rollout recreates every pod there and removes the old
     * ones. Pinning again to the same node changes nothing.
     */
    @Override
    public void move(String externalId, String targetHost) {
        String[] id = Workloads.parse(externalId);
        Validation.required("targetHost", targetHost);
        Node node = Errors.call(cloudId, "read node " + targetHost, () -> client.nodes().withName(targetHost).get());
        if (node == null) {
            throw TianshuException.invalid("targetHost", "cloud " + cloudId + " has no node '" + targetHost + "'");
        }
        if (get(id) == null) {
            throw TianshuException.notFound("externalId", "workload", externalId);
        }
        Errors.call(cloudId, "pin " + externalId + " to " + targetHost, () -> {
            if (Workloads.DEPLOYMENT.equals(id[1])) {
                client.apps().deployments().inNamespace(id[0]).withName(id[2]).edit(d -> {
                    pin(d.getSpec().getTemplate(), Set.of(targetHost));
                    return d;
                });
            } else {
                client.apps().statefulSets().inNamespace(id[0]).withName(id[2]).edit(st -> {
                    pin(st.getSpec().getTemplate(), Set.of(targetHost));
                    return st;
                });
            }
            return null;
        });
    }

    /**
     * Pins the pod template to {@code nodes}: one node by nodeSelector {@code kubernetes.io/hostname}, several by a
     * required node affinity {@code kubernetes.io/hostname In nodes}; either replaces the other.
     */
    private static void pin(io.fabric8.kubernetes.api.model.PodTemplateSpec template, Set<String> nodes) {
        Map<String, String> selector = template.getSpec().getNodeSelector() == null ? new HashMap<>()
                : new HashMap<>(template.getSpec().getNodeSelector());
        var affinity = template.getSpec().getAffinity();
        if (nodes.size() == 1) {
            selector.put(HOSTNAME, nodes.iterator().next());
            if (affinity != null && affinity.getNodeAffinity() != null) {
                affinity.getNodeAffinity().setRequiredDuringSchedulingIgnoredDuringExecution(null);
            }
        } else {
            selector.remove(HOSTNAME);
            if (affinity == null) {
                affinity = new io.fabric8.kubernetes.api.model.Affinity();
                template.getSpec().setAffinity(affinity);
            }
            affinity.setNodeAffinity(new io.fabric8.kubernetes.api.model.NodeAffinityBuilder()
                    .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                    .addNewMatchExpression().withKey(HOSTNAME).withOperator("In").withValues(new ArrayList<>(new TreeSet<>(nodes)))
                    .endMatchExpression().endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().build());
        }
        template.getSpec().setNodeSelector(selector.isEmpty() ? null : selector);
    }

    /** The node every running pod of the workload is on, if they all are on one and none is pending. */
    @Override
    public Optional<String> hostOf(String externalId) {
        String[] id = Workloads.parse(externalId);
        String node = null;
        for (Pod p : Errors.call(cloudId, "list pods of " + externalId, () -> client.pods().inNamespace(id[0]).list()).getItems()) {
            if (!externalId.equals(ownerId(p)) || !active(p)) {
                continue;
            }
            String on = p.getSpec() == null ? null : p.getSpec().getNodeName();
            boolean running = p.getStatus() != null && "Running".equals(p.getStatus().getPhase());
            if (on == null || !running || node != null && !node.equals(on)) {
                return Optional.empty();
            }
            node = on;
        }
        return Optional.ofNullable(node);
    }

    @Override
    public WorkloadState state(String externalId) {
        HasMetadata o = get(Workloads.parse(externalId));
        if (o instanceof Deployment d) {
            return state(d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas(),
                    d.getStatus() == null ? null : d.getStatus().getReadyReplicas());
        }
        if (o instanceof StatefulSet s) {
            return state(s.getSpec() == null || s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas(),
                    s.getStatus() == null ? null : s.getStatus().getReadyReplicas());
        }
        return WorkloadState.GONE;
    }

    @Override
    public Optional<String> findByRequest(String requestId) {
        Validation.required("requestId", requestId);
        String label = Workloads.requestLabel(requestId);
        for (Deployment d : Errors.call(cloudId, "find request " + requestId, () -> client.apps().deployments()
                .inAnyNamespace().withLabel(Workloads.REQUEST, label).list()).getItems()) {
            if (requestId.equals(requestId(d))) {
                return Optional.of(Workloads.externalId(d.getMetadata().getNamespace(), Workloads.DEPLOYMENT,
                        d.getMetadata().getName()));
            }
        }
        for (StatefulSet s : Errors.call(cloudId, "find request " + requestId, () -> client.apps().statefulSets()
                .inAnyNamespace().withLabel(Workloads.REQUEST, label).list()).getItems()) {
            if (requestId.equals(requestId(s))) {
                return Optional.of(Workloads.externalId(s.getMetadata().getNamespace(), Workloads.STATEFULSET,
                        s.getMetadata().getName()));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Usage> usage() {
        return ResourceMetrics.usage(client, cloudId);
    }

    @Override
    public void delete(String externalId) {
        String[] id = Workloads.parse(externalId);
        Errors.call(cloudId, "delete " + externalId, () -> Workloads.DEPLOYMENT.equals(id[1])
                ? client.apps().deployments().inNamespace(id[0]).withName(id[2]).delete()
                : client.apps().statefulSets().inNamespace(id[0]).withName(id[2]).delete());
    }

    // ---------------------------------------------------------------- quota

    @Override
    public void applyQuota(String departmentId, Map<QuotaResource, Long> limits) {
        Validation.id("departmentId", departmentId);
        Map<String, Quantity> hard = new LinkedHashMap<>();
        if (limits != null) {
            limits.forEach((r, v) -> {
                if (r == null || v == null) {
                    throw TianshuException.invalid("limits", "limits must not hold null resources or values");
                }
                Validation.nonNegative("limits." + r.id(), v);
                switch (r) {
                    case CPU -> hard.put("requests.cpu", Units.cpu(v));
                    case MEMORY -> hard.put("requests.memory", Units.mebibytes(v));
                    case DISK -> hard.put("requests.ephemeral-storage", Units.gibibytes(v));
                    case GPUS -> hard.put("requests." + Units.GPU, Units.count(v));
                    case INSTANCES -> {
                        hard.put("count/deployments.apps", Units.count(v));
                        hard.put("count/statefulsets.apps", Units.count(v));
                    }
                    default -> throw TianshuException.invalid("limits", "unsupported resource " + r.id());
                }
            });
        }
        ensureNamespace(departmentId);
        var quotas = client.resourceQuotas().inNamespace(departmentId);
        ResourceQuota existing = Errors.call(cloudId, "read quota of " + departmentId,
                () -> quotas.withName(QUOTA_NAME).get());
        if (hard.isEmpty()) {
            if (existing != null) {
                Errors.call(cloudId, "delete quota of " + departmentId, () -> quotas.withName(QUOTA_NAME).delete());
            }
            return;
        }
        if (existing == null) {
            Errors.call(cloudId, "create quota of " + departmentId, () -> quotas.resource(new ResourceQuotaBuilder()
                    .withNewMetadata().withName(QUOTA_NAME).withNamespace(departmentId)
                    .addToLabels(Workloads.MANAGED_BY, "tianshu").endMetadata()
                    .withNewSpec().withHard(hard).endSpec().build()).create());
        } else {
            existing.getSpec().setHard(hard);
            Errors.call(cloudId, "update quota of " + departmentId, () -> quotas.resource(existing).update());
        }
    }

    // ---------------------------------------------------------------- disaster recovery

    @Override
    public WorkloadCopy export(String externalId) {
        return replication.export(externalId);
    }

    @Override
    public String keepReady(WorkloadCopy copy, String network) {
        return replication.keepReady(copy, network);
    }

    @Override
    public void isolate(String network) {
        replication.isolate(network);
    }

    @Override
    public String bringUp(String copyId, String network) {
        return replication.bringUp(copyId, network);
    }

    @Override
    public void stop(String externalId) {
        replication.stop(externalId);
    }

    @Override
    public void dropNetwork(String network) {
        replication.dropNetwork(network);
    }

    @Override
    public void close() {
        client.close();
    }
}
