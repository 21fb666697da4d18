package org.tianshu.dr;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.dr.Cidr;
import org.tianshu.api.dr.Hook;
import org.tianshu.api.dr.NetworkMapping;
import org.tianshu.api.dr.PlanWorkload;
import org.tianshu.api.dr.ProtectedWorkload;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.RecoveryPlan;
import org.tianshu.api.dr.ReplicatingSession;

/** Checks groups and plans before anything is stored; every failure names the field at fault. */
final class DrValidation {
    static final int MAX_PRIORITY = 5;
    static final long MAX_HOOK_TIMEOUT_SECONDS = 3600;

    private final CloudService clouds;
    private final DrStore store;

    DrValidation(CloudService clouds, DrStore store) {
        this.clouds = clouds;
        this.store = store;
    }

    /** Validates a new group against the clouds and the existing groups. */
    void group(ProtectionGroup g) {
        if (g == null) {
            throw TianshuException.invalid("group", "a protection group is required");
        }
        Validation.id("id", g.id());
        Validation.required("name", g.name());
        Validation.id("departmentId", g.departmentId());
        Validation.positive("rpoTargetSeconds", g.rpoTargetSeconds());
        Validation.required("protectedCloudId", g.protectedCloudId());
        Validation.required("recoveryCloudId", g.recoveryCloudId());
        if (g.protectedCloudId().equals(g.recoveryCloudId())) {
            throw TianshuException.invalid("recoveryCloudId", "the recovery cloud must differ from the protected cloud '"
                    + g.protectedCloudId() + "'");
        }
        Cloud protectedCloud = cloud("protectedCloudId", g.protectedCloudId());
        Cloud recoveryCloud = cloud("recoveryCloudId", g.recoveryCloudId());
        if (protectedCloud.kind() != recoveryCloud.kind()) {
            throw TianshuException.invalid("recoveryCloudId", "the recovery cloud '" + recoveryCloud.id() + "' is "
                    + recoveryCloud.kind().id() + " but the protected cloud '" + protectedCloud.id() + "' is "
                    + protectedCloud.kind().id());
        }
        if (g.workloads().isEmpty()) {
            throw TianshuException.invalid("workloads", "a protection group needs at least one workload");
        }
        Set<String> names = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < g.workloads().size(); i++) {
            ProtectedWorkload w = g.workloads().get(i);
            String field = "workloads[" + i + "]";
            if (w == null) {
                throw TianshuException.invalid(field, field + " is required");
            }
            Validation.id(field + ".name", w.name());
            Validation.required(field + ".externalId", w.externalId());
            if (!names.add(w.name())) {
                throw TianshuException.invalid(field + ".name", "workload name '" + w.name() + "' is listed twice");
            }
            if (!ids.add(w.externalId())) {
                throw TianshuException.invalid(field + ".externalId", "workload '" + w.externalId() + "' is listed twice");
            }
        }
        if (store.group(g.id()).isPresent()) {
            throw TianshuException.conflict("id", "protection group '" + g.id() + "' already exists");
        }
        for (int i = 0; i < g.workloads().size(); i++) {
            ProtectedWorkload w = g.workloads().get(i);
            String owner = store.memberOf(g.protectedCloudId(), w.externalId()).orElse(null);
            if (owner != null) {
                throw TianshuException.conflict("workloads[" + i + "].externalId", "workload '" + w.externalId()
                        + "' of cloud '" + g.protectedCloudId() + "' is already protected by group '" + owner + "'");
            }
        }
        if (!(clouds.session(protectedCloud.id()) instanceof ReplicatingSession)
                || !(clouds.session(recoveryCloud.id()) instanceof ReplicatingSession)) {
            throw TianshuException.invalid("protectedCloudId", "the driver of " + protectedCloud.kind().id()
                    + " clouds cannot replicate workloads");
        }
        Set<String> existing = new HashSet<>();
        for (Workload w : clouds.session(protectedCloud.id()).discover().workloads()) {
            existing.add(w.externalId());
        }
        for (int i = 0; i < g.workloads().size(); i++) {
            ProtectedWorkload w = g.workloads().get(i);
            if (!existing.contains(w.externalId())) {
                throw TianshuException.notFound("workloads[" + i + "].externalId", "workload of cloud '"
                        + protectedCloud.id() + "'", w.externalId());
            }
        }
    }

    private Cloud cloud(String field, String id) {
        try {
            return clouds.get(id);
        } catch (TianshuException e) {
            if (e.kind() == TianshuException.Kind.NOT_FOUND) {
                throw TianshuException.notFound(field, "cloud", id);
            }
            throw e;
        }
    }

    /** Validates a new plan of {@code group}. */
    void plan(RecoveryPlan p, ProtectionGroup group) {
        Set<String> members = new HashSet<>();
        group.workloads().forEach(w -> members.add(w.name()));
        Map<String, PlanWorkload> byName = new HashMap<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < p.workloads().size(); i++) {
            PlanWorkload w = p.workloads().get(i);
            String field = "workloads[" + i + "]";
            if (w == null) {
                throw TianshuException.invalid(field, field + " is required");
            }
            Validation.required(field + ".workload", w.workload());
            if (!members.contains(w.workload())) {
                throw TianshuException.invalid(field + ".workload", "workload '" + w.workload()
                        + "' is not in protection group '" + group.id() + "'");
            }
            if (byName.put(w.workload(), w) != null) {
                throw TianshuException.invalid(field + ".workload", "workload '" + w.workload() + "' is listed twice");
            }
            index.put(w.workload(), i);
            if (w.priority() < 1 || w.priority() > MAX_PRIORITY) {
                throw TianshuException.invalid(field + ".priority", "priority must be 1 to " + MAX_PRIORITY + ", got "
                        + w.priority());
            }
            for (int h = 0; h < w.hooks().size(); h++) {
                hook(field + ".hooks[" + h + "]", w.hooks().get(h));
            }
        }
        for (String m : members) {
            if (!byName.containsKey(m)) {
                throw TianshuException.invalid("workloads", "workload '" + m + "' of protection group '" + group.id()
                        + "' has no place in the plan");
            }
        }
        for (int i = 0; i < p.workloads().size(); i++) {
            PlanWorkload w = p.workloads().get(i);
            for (String d : w.dependsOn()) {
                PlanWorkload dep = byName.get(d);
                String field = "workloads[" + i + "].dependsOn";
                if (dep == null) {
                    throw TianshuException.invalid(field, "'" + w.workload() + "' depends on unknown workload '" + d + "'");
                }
                if (dep.priority() > w.priority()) {
                    throw TianshuException.invalid(field, "'" + w.workload() + "' (priority " + w.priority()
                            + ") cannot depend on '" + d + "' of the later priority group " + dep.priority());
                }
            }
        }
        List<String> cycle = cycle(byName);
        if (cycle != null) {
            throw TianshuException.invalid("workloads[" + index.get(cycle.get(0)) + "].dependsOn",
                    "dependency cycle: " + String.join(" -> ", cycle));
        }
        for (int h = 0; h < p.hooks().size(); h++) {
            hook("hooks[" + h + "]", p.hooks().get(h));
        }
        Set<String> networks = new HashSet<>();
        for (int i = 0; i < p.networks().size(); i++) {
            NetworkMapping m = p.networks().get(i);
            if (m == null) {
                throw TianshuException.invalid("networks[" + i + "]", "networks[" + i + "] is required");
            }
            Validation.required("networks[" + i + "].production", m.production());
            Validation.required("networks[" + i + "].recovery", m.recovery());
            if (!networks.add(m.production())) {
                throw TianshuException.invalid("networks[" + i + "].production", "network '" + m.production()
                        + "' is mapped twice");
            }
            networks.add(m.recovery());
            addressing("networks[" + i + "]", m, group, members);
        }
        Validation.id("testNetwork", p.testNetwork());
        if (networks.contains(p.testNetwork())) {
            throw TianshuException.invalid("testNetwork", "the test network '" + p.testNetwork()
                    + "' must not be a production or recovery network");
        }
    }

    /** IP customisation of mapping {@code m}: subnets, explicit addresses, and a recovery cloud that can apply them. */
    private void addressing(String field, NetworkMapping m, ProtectionGroup group, Set<String> members) {
        if (!m.customisesAddresses()) {
            return;
        }
        if (m.recoveryCidr() == null) {
            throw TianshuException.invalid(field + ".recoveryCidr", field + ".recoveryCidr is required when "
                    + field + " sets productionCidr or addresses");
        }
        Cidr recovery = Cidr.parse(field + ".recoveryCidr", m.recoveryCidr());
        if (m.productionCidr() != null) {
            Cidr production = Cidr.parse(field + ".productionCidr", m.productionCidr());
            if (!production.sameFamily(recovery) || production.prefix() != recovery.prefix()) {
                throw TianshuException.invalid(field + ".recoveryCidr", field + ".recoveryCidr " + recovery
                        + " must have the family and prefix length of productionCidr " + production
                        + " to keep host parts");
            }
        }
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, String> a : m.addresses().entrySet()) {
            String f = field + ".addresses." + a.getKey();
            if (!members.contains(a.getKey())) {
                throw TianshuException.invalid(f, "workload '" + a.getKey() + "' is not in protection group '"
                        + group.id() + "'");
            }
            if (!used.add(Cidr.address(f, a.getValue(), recovery))) {
                throw TianshuException.invalid(f, "address " + a.getValue() + " is given to two workloads");
            }
        }
        ReplicatingSession recoverySide = clouds.session(group.recoveryCloudId()) instanceof ReplicatingSession r ? r : null;
        if (recoverySide == null || !recoverySide.customisesAddresses()) {
            throw TianshuException.invalid(field + ".recoveryCidr", "the recovery cloud '" + group.recoveryCloudId()
                    + "' (" + clouds.get(group.recoveryCloudId()).kind().id() + ") assigns workload addresses itself"
                    + " (Kubernetes: pod addresses come from the cluster's network plug-in); IP customisation needs"
                    + " a recovery cloud that sets them, such as OpenStack");
        }
    }

    private static void hook(String field, Hook h) {
        if (h == null) {
            throw TianshuException.invalid(field, field + " is required");
        }
        Validation.id(field + ".name", h.name());
        if (h.kind() == null) {
            throw TianshuException.invalid(field + ".kind", "kind must be script or http");
        }
        Validation.required(field + ".target", h.target());
        if (h.timeoutSeconds() < 1 || h.timeoutSeconds() > MAX_HOOK_TIMEOUT_SECONDS) {
            throw TianshuException.invalid(field + ".timeoutSeconds", "timeoutSeconds must be 1 to "
                    + MAX_HOOK_TIMEOUT_SECONDS + ", got " + h.timeoutSeconds());
        }
        if (h.kind() == org.tianshu.api.dr.HookKind.HTTP) {
            String probe = h.target().replace("${network}", "n").replace("${workload}", "w").replace("${run}", "r");
            try {
                URI u = URI.create(probe);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                throw TianshuException.invalid(field + ".target", "target '" + h.target() + "' must be an http(s) URL");
            }
        }
    }

    /** A dependency cycle as the names along it (first repeated last), or null. */
    static List<String> cycle(Map<String, PlanWorkload> byName) {
        Map<String, Integer> colour = new HashMap<>();
        for (String start : new java.util.TreeSet<>(byName.keySet())) {
            List<String> found = visit(start, byName, colour, new LinkedHashSet<>());
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static List<String> visit(String n, Map<String, PlanWorkload> byName, Map<String, Integer> colour,
            LinkedHashSet<String> path) {
        Integer c = colour.get(n);
        if (c != null && c == 2) {
            return null;
        }
        if (path.contains(n)) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (String p : path) {
                in |= p.equals(n);
                if (in) {
                    cycle.add(p);
                }
            }
            cycle.add(n);
            return cycle;
        }
        path.add(n);
        for (String d : byName.get(n).dependsOn()) {
            List<String> found = visit(d, byName, colour, path);
            if (found != null) {
                return found;
            }
        }
        path.remove(n);
        colour.put(n, 2);
        return null;
    }
}
