package org.tianshu.lab.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Emulation of what kube-controller-manager, kube-scheduler and the kubelets do for Deployments and
 * StatefulSets, so that a mock API server behaves like a cluster: it watches both kinds in every namespace and
 * for each keeps {@code spec.replicas} pods (owned, labelled from the template, carrying its requests),
 * binds them to the first node whose allocatable minus the requests already bound there fits (else leaves them
 * Pending with reason Unschedulable), marks them Running and updates the controller's replica counts after
 * {@code delayMs}. Deleting a controller deletes its pods; freed capacity lets Pending pods be scheduled.
 * <p>
 * Everything runs on one thread per cluster against the cluster's own HTTP API, like the real components.
 * Not emulated: ReplicaSets (Deployment pods are owned by the Deployment), rolling updates, probes, pods deleted
 * by others, node changes after start.
 */
final class ControlLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlLoop.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    /** A pod this loop knows. */
    private static final class PodRec {
        final String name;
        final Requests requests;
        String node;
        boolean running;

        PodRec(String name, Requests requests, String node, boolean running) {
            this.name = name;
            this.requests = requests;
            this.node = node;
            this.running = running;
        }
    }

    private final String cluster;
    private final KubernetesClient client;
    private final long delayMs;
    private final ScheduledExecutorService loop;
    private final NodeBook book = new NodeBook();
    private final Map<String, Controller> controllers = new HashMap<>();
    private final Map<String, List<PodRec>> pods = new HashMap<>();
    private final List<Watch> watches = new ArrayList<>();
    private volatile MetricsServer.Report report = MetricsServer.Report.EMPTY;
    private volatile boolean closed;

    ControlLoop(String cluster, KubernetesClient client, long delayMs) {
        this.cluster = cluster;
        this.client = client;
        this.delayMs = delayMs;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lab-controllers-" + cluster);
            t.setDaemon(true);
            return t;
        });
    }

    /** Lists nodes and pods once, then starts watching; returns when the watches are open. */
    void start() throws Exception {
        loop.submit(() -> {
            for (Node n : client.nodes().list().getItems()) {
                book.add(n);
            }
            for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
                String owner = Pods.ownerKey(p);
                Requests r = Requests.of(p.getSpec());
                String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
                if (node != null && Pods.active(p)) {
                    book.book(node, r);
                }
                if (owner != null) {
                    pods.computeIfAbsent(owner, k -> new ArrayList<>())
                            .add(new PodRec(p.getMetadata().getName(), r, node, Pods.running(p)));
                }
            }
            takeReport();
            return null;
        }).get();
        watches.add(client.apps().deployments().inAnyNamespace().watch(new Events<>()));
        watches.add(client.apps().statefulSets().inAnyNamespace().watch(new Events<>()));
    }

    private final class Events<T extends HasMetadata> implements Watcher<T> {
        @Override
        public void eventReceived(Action action, T resource) {
            if (closed) {
                return;
            }
            Controller c = Controller.of(resource);
            loop.execute(() -> guarded(() -> {
                if (action == Action.DELETED) {
                    removed(c);
                } else if (action == Action.ADDED || action == Action.MODIFIED) {
                    reconcile(c);
                }
            }));
        }

        @Override
        public void onClose(WatcherException cause) {
            if (!closed) {
                LOG.log(Level.WARNING, cluster + ": watch closed", cause);
            }
        }
    }

    private void guarded(Runnable r) {
        try {
            r.run();
            takeReport();
        } catch (KubernetesClientException e) {
            // 404: the object went away between the event and this step; its DELETED event follows
            if (!closed && e.getCode() != 404) {
                LOG.log(Level.WARNING, cluster + ": control loop step failed: " + e.getMessage(), e);
            }
        }
    }

    private void reconcile(Controller c) {
        controllers.put(c.key(), c);
        List<PodRec> owned = pods.computeIfAbsent(c.key(), k -> new ArrayList<>());
        boolean changed = false;
        // a template pinned to a node (nodeSelector kubernetes.io/hostname): the rollout replaces pods elsewhere
        String pinned = pinnedNode(c);
        for (PodRec p : new ArrayList<>(owned)) {
            if (pinned != null && p.node != null && !pinned.equals(p.node)) {
                owned.remove(p);
                deletePod(c.namespace(), p);
                changed = true;
            }
        }
        while (owned.size() < c.replicas()) {
            Requests r = Requests.of(c.template() == null ? null : c.template().getSpec());
            String node = pinned == null ? book.place(r) : book.placeOn(pinned, r);
            String name = c.stateful() ? c.name() + "-" + nextOrdinal(owned) : c.name() + "-" + suffix();
            client.pods().inNamespace(c.namespace())
                    .resource(Pods.build(c, name, node, false, node == null ? book.whyNot(r) : null)).create();
            owned.add(new PodRec(name, r, node, false));
            changed = true;
        }
        while (owned.size() > c.replicas()) {
            PodRec victim = c.stateful() ? owned.stream()
                    .max((a, b) -> Integer.compare(ordinal(a.name), ordinal(b.name))).orElseThrow() : owned.get(owned.size() - 1);
            owned.remove(victim);
            deletePod(c.namespace(), victim);
            changed = true;
        }
        if (changed) {
            retryPending();
        }
        boolean settled = owned.stream().allMatch(p -> p.running || p.node == null);
        int ready = (int) owned.stream().filter(p -> p.running).count();
        if (changed || !settled || c.statusReplicas() != owned.size() || c.readyReplicas() != ready) {
            loop.schedule(() -> guarded(() -> settle(c.key())), delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private static String pinnedNode(Controller c) {
        if (c.template() == null || c.template().getSpec() == null || c.template().getSpec().getNodeSelector() == null) {
            return null;
        }
        return c.template().getSpec().getNodeSelector().get("kubernetes.io/hostname");
    }

    /** The kubelets start the bound pods; then the controller reports its replica counts. */
    private void settle(String key) {
        Controller c = controllers.get(key);
        List<PodRec> owned = pods.get(key);
        if (c == null || owned == null) {
            return;
        }
        for (PodRec p : owned) {
            if (p.node != null && !p.running) {
                String node = p.node;
                client.pods().inNamespace(c.namespace()).withName(p.name).editStatus(pod -> {
                    pod.setStatus(Pods.status(node, true, null).build());
                    return pod;
                });
                p.running = true;
            }
        }
        int ready = (int) owned.stream().filter(p -> p.running).count();
        if (c.statusReplicas() == owned.size() && c.readyReplicas() == ready) {
            return;
        }
        int unavailable = owned.size() - ready;
        if (c.stateful()) {
            client.apps().statefulSets().inNamespace(c.namespace()).withName(c.name()).editStatus(s -> {
                s.setStatus(new StatefulSetStatusBuilder().withReplicas(owned.size()).withReadyReplicas(ready)
                        .withAvailableReplicas(ready).withCurrentReplicas(owned.size()).withUpdatedReplicas(owned.size())
                        .withObservedGeneration(c.generation()).build());
                return s;
            });
        } else {
            client.apps().deployments().inNamespace(c.namespace()).withName(c.name()).editStatus(d -> {
                d.setStatus(new DeploymentStatusBuilder().withReplicas(owned.size()).withReadyReplicas(ready)
                        .withAvailableReplicas(ready).withUpdatedReplicas(owned.size())
                        .withUnavailableReplicas(unavailable == 0 ? null : unavailable)
                        .withObservedGeneration(c.generation()).build());
                return d;
            });
        }
    }

    private void removed(Controller c) {
        controllers.remove(c.key());
        List<PodRec> owned = pods.remove(c.key());
        if (owned != null) {
            for (PodRec p : owned) {
                deletePod(c.namespace(), p);
            }
            retryPending();
        }
    }

    private void deletePod(String namespace, PodRec p) {
        client.pods().inNamespace(namespace).withName(p.name).withGracePeriod(0).delete();
        if (p.node != null) {
            book.release(p.node, p.requests);
        }
    }

    /** kube-scheduler retries unschedulable pods when capacity frees up. */
    private void retryPending() {
        for (Map.Entry<String, List<PodRec>> e : pods.entrySet()) {
            Controller c = controllers.get(e.getKey());
            for (PodRec p : e.getValue()) {
                if (p.node == null && c != null) {
                    String pin = pinnedNode(c);
                    String node = pin == null ? book.place(p.requests) : book.placeOn(pin, p.requests);
                    if (node != null) {
                        p.node = node;
                        client.pods().inNamespace(c.namespace()).withName(p.name).edit(pod -> {
                            pod.getSpec().setNodeName(node);
                            pod.setStatus(Pods.status(node, false, null).build());
                            return pod;
                        });
                        loop.schedule(() -> guarded(() -> settle(c.key())), delayMs, TimeUnit.MILLISECONDS);
                    }
                }
            }
        }
    }

    private static int nextOrdinal(List<PodRec> owned) {
        int i = 0;
        while (true) {
            int candidate = i;
            if (owned.stream().noneMatch(p -> ordinal(p.name) == candidate)) {
                return i;
            }
            i++;
        }
    }

    private static int ordinal(String pod) {
        try {
            return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String suffix() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /**
     * The nodes and the running pods with their use (see {@link MetricsServer#CPU_USE}), as the kubelets last reported them. Read
     * from the API server's threads: they must not wait for this loop, which may itself be waiting for the server.
     */
    MetricsServer.Report report() {
        return report;
    }

    /** Takes the kubelets' report after a step of the loop. */
    private void takeReport() {
        List<MetricsServer.PodUse> out = new ArrayList<>();
        pods.forEach((key, owned) -> {
            Controller c = controllers.get(key);
            String namespace = key.split("/")[1];
            String container = c == null || c.template() == null || c.template().getSpec() == null
                    || c.template().getSpec().getContainers().isEmpty() ? "main" : c.template().getSpec().getContainers().get(0).getName();
            double use = use(c);
            owned.stream().filter(p -> p.running && p.node != null)
                    .forEach(p -> out.add(new MetricsServer.PodUse(namespace, p.name, container, p.node, p.requests, use)));
        });
        report = new MetricsServer.Report(book.names(), List.copyOf(out));
    }

    private static double use(Controller c) {
        var annotations = c == null || c.template() == null || c.template().getMetadata() == null ? null
                : c.template().getMetadata().getAnnotations();
        String v = annotations == null ? null : annotations.get(MetricsServer.CPU_USE);
        try {
            return v == null ? MetricsServer.DEFAULT_USE : Math.max(0, Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return MetricsServer.DEFAULT_USE;
        }
    }

    /** Used requests on a node as the emulated scheduler books them (for tests). */
    Requests used(String node) throws Exception {
        return loop.submit(() -> book.used(node)).get();
    }

    @Override
    public void close() {
        closed = true;
        watches.forEach(Watch::close);
        loop.shutdownNow();
    }
}
