package org.tianshu.lab.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/**
 * A Deployment or StatefulSet as the emulated controllers see it.
 *
 * @param kind {@code Deployment} or {@code StatefulSet}
 * @param namespace its namespace
 * @param name its name
 * @param uid its uid
 * @param generation metadata.generation
 * @param replicas spec.replicas (1 when absent)
 * @param template the pod template
 * @param statusReplicas status.replicas
 * @param readyReplicas status.readyReplicas
 */
record Controller(String kind, String namespace, String name, String uid, long generation, int replicas,
        PodTemplateSpec template, int statusReplicas, int readyReplicas) {

    static Controller of(HasMetadata o) {
        if (o instanceof Deployment d) {
            var s = d.getStatus();
            return new Controller("Deployment", ns(d), d.getMetadata().getName(), d.getMetadata().getUid(),
                    gen(d), replicas(d.getSpec() == null ? null : d.getSpec().getReplicas()),
                    d.getSpec() == null ? null : d.getSpec().getTemplate(),
                    s == null ? 0 : nz(s.getReplicas()), s == null ? 0 : nz(s.getReadyReplicas()));
        }
        StatefulSet d = (StatefulSet) o;
        var s = d.getStatus();
        return new Controller("StatefulSet", ns(d), d.getMetadata().getName(), d.getMetadata().getUid(), gen(d),
                replicas(d.getSpec() == null ? null : d.getSpec().getReplicas()),
                d.getSpec() == null ? null : d.getSpec().getTemplate(),
                s == null ? 0 : nz(s.getReplicas()), s == null ? 0 : nz(s.getReadyReplicas()));
    }

    /** Key of the controller in a cluster: {@code kind/namespace/name}. */
    String key() {
        return key(kind, namespace, name);
    }

    static String key(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    boolean stateful() {
        return "StatefulSet".equals(kind);
    }

    OwnerReference ownerReference() {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(kind).withName(name).withUid(uid)
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    private static String ns(HasMetadata o) {
        return o.getMetadata().getNamespace() == null ? "default" : o.getMetadata().getNamespace();
    }

    private static long gen(HasMetadata o) {
        return o.getMetadata().getGeneration() == null ? 1 : o.getMetadata().getGeneration();
    }

    private static int replicas(Integer r) {
        return r == null ? 1 : Math.max(0, r);
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }
}
