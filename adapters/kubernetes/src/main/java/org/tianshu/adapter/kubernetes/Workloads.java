package org.tianshu.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadSpec;

/** Container workload specs: validation, demand, and the Deployment/StatefulSet that realises them. */
final class Workloads {
    /** Label (and annotation) carrying the provisioning request id. */
    static final String REQUEST = "tianshu.io/request";
    /** Namespace label naming the owning department. */
    static final String DEPARTMENT = "tianshu.io/department";
    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String DEPLOYMENT = "deployment";
    static final String STATEFULSET = "statefulset";

    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]");

    private Workloads() {
    }

    /** Validates a container spec; each failure is INVALID naming the WorkloadSpec field. Returns the controller. */
    static String validate(WorkloadSpec spec) {
        if (spec == null) {
            throw TianshuException.invalid("spec", "spec is required");
        }
        Validation.id("name", spec.name());
        Validation.id("departmentId", spec.departmentId());
        if (spec.kind() != WorkloadKind.CONTAINER) {
            throw TianshuException.invalid("kind", "a Kubernetes cluster runs container workloads only, got "
                    + (spec.kind() == null ? "none" : spec.kind().id()));
        }
        Validation.required("image", spec.image());
        if (spec.image().chars().anyMatch(Character::isWhitespace)) {
            throw TianshuException.invalid("image", "image '" + spec.image() + "' must not contain spaces");
        }
        Validation.positive("replicas", spec.replicas());
        Validation.positive("cpuMillis", spec.cpuMillis());
        Validation.positive("memoryMiB", spec.memoryMiB());
        Validation.nonNegative("gpus", spec.gpus());
        String controller = spec.controller() == null ? "" : spec.controller().trim().toLowerCase(Locale.ROOT);
        if (!DEPLOYMENT.equals(controller) && !STATEFULSET.equals(controller)) {
            throw TianshuException.invalid("controller", "controller must be deployment or statefulset, got '"
                    + spec.controller() + "'");
        }
        return controller;
    }

    /** What one replica requests. */
    static Resources perReplica(WorkloadSpec spec) {
        return new Resources(spec.cpuMillis(), spec.memoryMiB(), 0, spec.gpus());
    }

    /** The request id as a label value: itself when it is a valid label value, else a digest. */
    static String requestLabel(String requestId) {
        if (LABEL_VALUE.matcher(requestId).matches()) {
            return requestId;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + HexFormat.of().formatHex(d, 0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Deployment or StatefulSet for {@code spec}, labelled with {@code requestId}. */
    static HasMetadata build(WorkloadSpec spec, String controller, String requestId) {
        Map<String, String> selector = Map.of(NAME_LABEL, spec.name());
        Map<String, String> labels = new LinkedHashMap<>(selector);
        labels.put(MANAGED_BY, "tianshu");
        labels.put(DEPARTMENT, spec.departmentId());
        labels.put(REQUEST, requestLabel(requestId));
        Map<String, Quantity> requests = new LinkedHashMap<>();
        requests.put("cpu", Units.cpu(spec.cpuMillis()));
        requests.put("memory", Units.mebibytes(spec.memoryMiB()));
        if (spec.gpus() > 0) {
            requests.put(Units.GPU, Units.count(spec.gpus()));
        }
        PodTemplateSpec template = new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName(spec.name()).withImage(spec.image())
                .withNewResources().withRequests(requests).withLimits(new LinkedHashMap<>(requests)).endResources()
                .endContainer().endSpec().build();
        Map<String, String> annotations = Map.of(REQUEST, requestId);
        if (STATEFULSET.equals(controller)) {
            return new StatefulSetBuilder().withNewMetadata().withName(spec.name()).withNamespace(spec.departmentId())
                    .withLabels(labels).withAnnotations(annotations).endMetadata()
                    .withNewSpec().withReplicas(spec.replicas()).withServiceName(spec.name())
                    .withNewSelector().withMatchLabels(selector).endSelector().withTemplate(template).endSpec().build();
        }
        return new DeploymentBuilder().withNewMetadata().withName(spec.name()).withNamespace(spec.departmentId())
                .withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec().withReplicas(spec.replicas())
                .withNewSelector().withMatchLabels(selector).endSelector().withTemplate(template).endSpec().build();
    }

    /** {@code namespace/kind/name}. */
    static String externalId(String namespace, String controller, String name) {
        return namespace + "/" + controller + "/" + name;
    }

    /** Parses an external id into namespace, controller, name; INVALID naming {@code externalId} otherwise. */
    static String[] parse(String externalId) {
        String[] p = externalId == null ? new String[0] : externalId.split("/", -1);
        if (p.length != 3 || p[0].isEmpty() || p[2].isEmpty() || !(DEPLOYMENT.equals(p[1]) || STATEFULSET.equals(p[1]))) {
            throw TianshuException.invalid("externalId", "externalId '" + externalId
                    + "' must be namespace/deployment/name or namespace/statefulset/name");
        }
        return p;
    }
}
