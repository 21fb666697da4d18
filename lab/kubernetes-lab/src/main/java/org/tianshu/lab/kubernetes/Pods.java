package org.tianshu.lab.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the pods that the emulated controllers, scheduler and kubelet would produce. */
final class Pods {
    static final String POD_IP_PREFIX = "10.244.";

    private Pods() {
    }

    /**
     * A pod of {@code c} named {@code name}, bound to {@code node} (Pending, scheduled) or unbound (Pending,
     * Unschedulable with {@code why}); Running when {@code running}.
     */
    static Pod build(Controller c, String name, String node, boolean running, String why) {
        PodSpec spec = c.template() == null || c.template().getSpec() == null ? new PodSpec()
                : new PodSpecBuilder(c.template().getSpec()).build();
        spec.setNodeName(node);
        Map<String, String> labels = new HashMap<>();
        if (c.template() != null && c.template().getMetadata() != null && c.template().getMetadata().getLabels() != null) {
            labels.putAll(c.template().getMetadata().getLabels());
        }
        if (c.stateful()) {
            labels.put("statefulset.kubernetes.io/pod-name", name);
        }
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(c.namespace()).withLabels(labels)
                .withOwnerReferences(c.ownerReference()).endMetadata()
                .withSpec(spec).withStatus(status(node, running, why).build()).build();
    }

    static io.fabric8.kubernetes.api.model.PodStatusBuilder status(String node, boolean running, String why) {
        String now = Instant.now().toString();
        var b = new io.fabric8.kubernetes.api.model.PodStatusBuilder().withQosClass("Burstable");
        if (node == null) {
            return b.withPhase("Pending").withConditions(condition("PodScheduled", "False", "Unschedulable", why, now));
        }
        b.withHostIP(POD_IP_PREFIX + "0.1").withStartTime(now);
        if (!running) {
            return b.withPhase("Pending").withConditions(condition("PodScheduled", "True", null, null, now),
                    condition("Ready", "False", "ContainersNotReady", "containers with unready status", now));
        }
        return b.withPhase("Running").withConditions(condition("PodScheduled", "True", null, null, now),
                condition("Initialized", "True", null, null, now), condition("ContainersReady", "True", null, null, now),
                condition("Ready", "True", null, null, now));
    }

    private static PodCondition condition(String type, String status, String reason, String message, String now) {
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(now).build();
    }

    /** True if the pod holds node resources (not Succeeded or Failed). */
    static boolean active(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    static boolean running(Pod p) {
        return p.getStatus() != null && "Running".equals(p.getStatus().getPhase());
    }

    /** The controller key of a pod from its controller owner reference, or null. */
    static String ownerKey(Pod p) {
        List<io.fabric8.kubernetes.api.model.OwnerReference> refs = p.getMetadata().getOwnerReferences();
        if (refs == null) {
            return null;
        }
        for (var r : refs) {
            if ("Deployment".equals(r.getKind()) || "StatefulSet".equals(r.getKind())) {
                return Controller.key(r.getKind(), p.getMetadata().getNamespace(), r.getName());
            }
        }
        return null;
    }
}
