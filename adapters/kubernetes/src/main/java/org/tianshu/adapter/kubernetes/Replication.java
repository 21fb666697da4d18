package org.tianshu.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.dr.WorkloadCopy;

/**
 * Disaster-recovery replication on Kubernetes: a copy is the workload's Deployment/StatefulSet (spec and
 * labels, without status or server fields) kept in the recovery cluster scaled to zero, its replica count
 * in an annotation. Failover scales the copy up in place; a drill clones it into an isolated namespace whose
 * NetworkPolicy denies all ingress and egress.
 */
final class Replication {
    /** Annotation holding the replica count a copy runs with once brought up. */
    static final String REPLICAS = "tianshu.io/dr-replicas";
    /** Label of copies kept by DR. */
    static final String COPY = "tianshu.io/dr-copy";
    /** Label of isolated (drill) namespaces. */
    static final String ISOLATED = "tianshu.io/dr-isolated";
    /** Name of the deny-all NetworkPolicy of an isolated namespace. */
    static final String DENY_ALL = "tianshu-dr-deny-all";

    private final String cloudId;
    private final KubernetesClient client;

    Replication(String cloudId, KubernetesClient client) {
        this.cloudId = cloudId;
        this.client = client;
    }

    WorkloadCopy export(String externalId) {
        String[] id = Workloads.parse(externalId);
        HasMetadata o = get(id);
        if (o == null) {
            throw TianshuException.notFound("externalId", "workload of cluster " + cloudId, externalId);
        }
        int replicas = replicas(o);
        String stored = annotation(o, REPLICAS);
        if (replicas == 0 && stored != null) {
            replicas = Integer.parseInt(stored);
        }
        HasMetadata copy = clean(o);
        copy.getMetadata().getAnnotations().put(REPLICAS, String.valueOf(replicas));
        return new WorkloadCopy(o.getMetadata().getName(), externalId, id[0], Serialization.asJson(copy), Instant.now());
    }

    String keepReady(WorkloadCopy copy, String network) {
        Validation.id("network", network);
        HasMetadata o = Serialization.unmarshal(copy.payload());
        String controller = o instanceof Deployment ? Workloads.DEPLOYMENT : Workloads.STATEFULSET;
        String[] id = {network, controller, o.getMetadata().getName()};
        String department = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(Workloads.DEPARTMENT);
        namespace(network, department == null ? Map.of() : Map.of(Workloads.DEPARTMENT, department));
        o.getMetadata().setNamespace(network);
        o.getMetadata().getLabels().put(COPY, "true");
        HasMetadata existing = get(id);
        setReplicas(o, existing == null ? 0 : replicas(existing));
        call("keep copy " + String.join("/", id), () -> existing == null ? client.resource(o).create()
                : client.resource(withVersion(o, existing)).update());
        return String.join("/", id);
    }

    void isolate(String network) {
        Validation.id("network", network);
        namespace(network, Map.of(ISOLATED, "true"));
        try {
            client.network().v1().networkPolicies().inNamespace(network).resource(new NetworkPolicyBuilder()
                    .withNewMetadata().withName(DENY_ALL).withNamespace(network).addToLabels(Workloads.MANAGED_BY, "tianshu")
                    .endMetadata().withNewSpec().withNewPodSelector().endPodSelector()
                    .withPolicyTypes("Ingress", "Egress").endSpec().build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw Errors.translate(cloudId, "isolate namespace " + network, e);
            }
        }
    }

    String bringUp(String copyId, String network) {
        Validation.id("network", network);
        String[] id = Workloads.parse(copyId);
        HasMetadata copy = get(id);
        if (copy == null) {
            throw TianshuException.notFound("copyId", "copy in cluster " + cloudId, copyId);
        }
        String stored = annotation(copy, REPLICAS);
        int replicas = stored == null ? Math.max(1, replicas(copy)) : Integer.parseInt(stored);
        if (network.equals(id[0])) {
            scale(id, replicas);
            return copyId;
        }
        String[] target = {network, id[1], id[2]};
        HasMetadata running = get(target);
        if (running == null) {
            HasMetadata clone = clean(copy);
            clone.getMetadata().setNamespace(network);
            setReplicas(clone, replicas);
            try {
                client.resource(clone).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw Errors.translate(cloudId, "bring up " + String.join("/", target), e);
                }
            }
        } else if (replicas(running) != replicas) {
            scale(target, replicas);
        }
        return String.join("/", target);
    }

    void stop(String externalId) {
        String[] id = Workloads.parse(externalId);
        HasMetadata o = get(id);
        if (o == null || replicas(o) == 0) {
            return;
        }
        int replicas = replicas(o);
        call("stop " + externalId, () -> Workloads.DEPLOYMENT.equals(id[1])
                ? client.apps().deployments().inNamespace(id[0]).withName(id[2]).edit(d -> {
                    d.getMetadata().getAnnotations().put(REPLICAS, String.valueOf(replicas));
                    d.getSpec().setReplicas(0);
                    return d;
                })
                : client.apps().statefulSets().inNamespace(id[0]).withName(id[2]).edit(s -> {
                    s.getMetadata().getAnnotations().put(REPLICAS, String.valueOf(replicas));
                    s.getSpec().setReplicas(0);
                    return s;
                }));
    }

    void dropNetwork(String network) {
        Validation.id("network", network);
        var ns = call("read namespace " + network, () -> client.namespaces().withName(network).get());
        if (ns == null) {
            return;
        }
        if (ns.getMetadata().getLabels() == null || !"true".equals(ns.getMetadata().getLabels().get(ISOLATED))) {
            throw TianshuException.conflict("network", "namespace '" + network + "' of cluster " + cloudId
                    + " is not an isolated DR network; it is not removed");
        }
        // the API server's namespace controller would cascade; delete the contents explicitly so every cluster agrees
        call("drop " + network, () -> client.apps().deployments().inNamespace(network).delete());
        call("drop " + network, () -> client.apps().statefulSets().inNamespace(network).delete());
        call("drop " + network, () -> client.network().v1().networkPolicies().inNamespace(network).delete());
        call("drop " + network, () -> client.namespaces().withName(network).delete());
    }

    private void scale(String[] id, int replicas) {
        call("scale " + String.join("/", id), () -> Workloads.DEPLOYMENT.equals(id[1])
                ? client.apps().deployments().inNamespace(id[0]).withName(id[2]).edit(d -> {
                    d.getSpec().setReplicas(replicas);
                    return d;
                })
                : client.apps().statefulSets().inNamespace(id[0]).withName(id[2]).edit(s -> {
                    s.getSpec().setReplicas(replicas);
                    return s;
                }));
    }

    private void namespace(String name, Map<String, String> labels) {
        if (call("read namespace " + name, () -> client.namespaces().withName(name).get()) != null) {
            return;
        }
        try {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                    .addToLabels(Workloads.MANAGED_BY, "tianshu").addToLabels(labels).endMetadata().build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw Errors.translate(cloudId, "create namespace " + name, e);
            }
        }
    }

    private HasMetadata get(String[] id) {
        return call("read " + String.join("/", id), () -> Workloads.DEPLOYMENT.equals(id[1])
                ? client.apps().deployments().inNamespace(id[0]).withName(id[2]).get()
                : client.apps().statefulSets().inNamespace(id[0]).withName(id[2]).get());
    }

    private <T> T call(String what, java.util.function.Supplier<T> work) {
        return Errors.call(cloudId, what, work);
    }

    /** The object's spec and labels without status, server fields or the provisioning request tag. */
    private static HasMetadata clean(HasMetadata o) {
        HasMetadata c = Serialization.clone(o);
        ObjectMeta m = c.getMetadata();
        ObjectMeta fresh = new ObjectMeta();
        fresh.setName(m.getName());
        fresh.setNamespace(m.getNamespace());
        Map<String, String> labels = new HashMap<>(m.getLabels() == null ? Map.of() : m.getLabels());
        labels.remove(Workloads.REQUEST);
        labels.remove(COPY);
        fresh.setLabels(labels);
        Map<String, String> annotations = new HashMap<>(m.getAnnotations() == null ? Map.of() : m.getAnnotations());
        annotations.remove(Workloads.REQUEST);
        fresh.setAnnotations(annotations);
        c.setMetadata(fresh);
        if (c instanceof Deployment d) {
            d.setStatus(null);
            if (d.getSpec().getTemplate().getMetadata() != null && d.getSpec().getTemplate().getMetadata().getLabels() != null) {
                d.getSpec().getTemplate().getMetadata().getLabels().remove(Workloads.REQUEST);
            }
        } else if (c instanceof StatefulSet s) {
            s.setStatus(null);
            if (s.getSpec().getTemplate().getMetadata() != null && s.getSpec().getTemplate().getMetadata().getLabels() != null) {
                s.getSpec().getTemplate().getMetadata().getLabels().remove(Workloads.REQUEST);
            }
        }
        return c;
    }

    private static HasMetadata withVersion(HasMetadata o, HasMetadata existing) {
        o.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        return o;
    }

    private static int replicas(HasMetadata o) {
        Integer r = o instanceof Deployment d ? d.getSpec().getReplicas() : ((StatefulSet) o).getSpec().getReplicas();
        return r == null ? 1 : r;
    }

    private static void setReplicas(HasMetadata o, int replicas) {
        if (o instanceof Deployment d) {
            d.getSpec().setReplicas(replicas);
        } else {
            ((StatefulSet) o).getSpec().setReplicas(replicas);
        }
    }

    private static String annotation(HasMetadata o, String key) {
        return o.getMetadata().getAnnotations() == null ? null : o.getMetadata().getAnnotations().get(key);
    }
}
