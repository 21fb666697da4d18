package org.tianshu.rest;

import java.time.Duration;
import java.util.function.IntSupplier;
import org.tianshu.api.Caller;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.provisioning.Provisioning;

/** {@code /workloads}: provisioning requests for VMs and container workloads. */
final class WorkloadResource {
    /** Header that makes {@code POST /workloads} idempotent per department. */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /**
     * Body of {@code POST /workloads}: the target cloud and the fields of {@link WorkloadSpec}. Without a cloud
     * the scheduler chooses one under the optional {@code constraints} and {@code preferences}.
     */
    record WorkloadBody(String cloud, String name, String departmentId, String kind, String flavor, String image,
            String network, Integer replicas, Long cpuMillis, Long memoryMiB, Long gpus, String controller,
            PlacementBodies.ConstraintsBody constraints, PlacementBodies.PreferencesBody preferences) {
    }

    private final Services s;
    private final IntSupplier maxWaitSeconds;

    WorkloadResource(Services services, IntSupplier maxWaitSeconds) {
        this.s = services;
        this.maxWaitSeconds = maxWaitSeconds;
    }

    void routes(Router r) {
        r.get("/workloads", x -> {
            Caller caller = x.caller();
            String department = x.query("department");
            if (department != null) {
                caller.checkAccess(department);
            }
            return Reply.ok(s.provisioning().list(department, caller).stream()
                    .filter(p -> caller.canAccess(p.spec().departmentId())).toList());
        });
        r.mutate("POST", "/workloads", "workload.create", x -> {
            WorkloadBody b = x.body(WorkloadBody.class);
            x.target("workload/" + b.departmentId() + "/" + b.name() + (b.cloud() == null ? "" : "@" + b.cloud()));
            String cloud = b.cloud();
            if (cloud != null && (b.constraints() != null || b.preferences() != null)) {
                throw ApiProblem.badRequest(b.constraints() != null ? "constraints" : "preferences",
                        "constraints and preferences apply only when the scheduler chooses the cloud; leave out cloud");
            }
            WorkloadKind kind = b.kind() == null ? WorkloadKind.VM : WorkloadKind.parse("kind", b.kind());
            Exchange.required("name", b.name());
            String department = Exchange.required("departmentId", b.departmentId());
            x.caller().checkAccess(department);
            WorkloadSpec spec;
            if (kind == WorkloadKind.VM) {
                spec = WorkloadSpec.vm(b.name(), department, Exchange.required("flavor", b.flavor()),
                        Exchange.required("image", b.image()), b.network());
            } else {
                spec = WorkloadSpec.container(b.name(), department, Exchange.required("image", b.image()),
                        b.replicas() == null ? 1 : b.replicas(), Exchange.required("cpuMillis", b.cpuMillis()),
                        Exchange.required("memoryMiB", b.memoryMiB()), b.gpus() == null ? 0 : b.gpus(),
                        b.controller() == null ? "deployment" : b.controller());
            }
            Provisioning p = cloud != null ? s.provisioning().submit(cloud, spec, x.header(IDEMPOTENCY_KEY), x.caller())
                    : s.provisioning().submit(spec, PlacementBodies.constraints(b.constraints()),
                            PlacementBodies.preferences(b.preferences()), x.header(IDEMPOTENCY_KEY), x.caller());
            x.target("workload/" + p.id());
            return Reply.accepted(p, location(p));
        });
        r.get("/workloads/{id}", x -> {
            int wait = x.queryInt("wait", 0, 0, maxWaitSeconds.getAsInt());
            Provisioning p = wait == 0 ? s.provisioning().get(x.path("id"), x.caller())
                    : s.provisioning().await(x.path("id"), Duration.ofSeconds(wait), x.caller());
            x.caller().checkAccess(p.spec().departmentId());
            return Reply.ok(p);
        });
        r.mutate("DELETE", "/workloads/{id}", "workload.delete", x -> {
            x.target("workload/" + x.path("id"));
            Provisioning p = s.provisioning().delete(x.path("id"), x.caller());
            return Reply.accepted(p, location(p));
        });
    }

    private static String location(Provisioning p) {
        return "/api/v1/workloads/" + p.id();
    }
}
