package org.tianshu.rest;

import java.util.List;
import org.tianshu.api.Caller;
import org.tianshu.api.cloud.Workload;

/** {@code /inventory}: hosts, workloads and capacity across clouds. */
final class InventoryResource {
    private final Services s;

    InventoryResource(Services services) {
        this.s = services;
    }

    void routes(Router r) {
        r.get("/inventory/hosts", x -> {
            x.caller().checkOperator();
            return Reply.ok(s.inventory().hosts(x.query("cloud")));
        });
        r.get("/inventory/workloads", x -> {
            Caller caller = x.caller();
            String department = x.query("department");
            if (department != null) {
                caller.checkAccess(department);
            }
            List<Workload> all = s.inventory().workloads(x.query("cloud"), department);
            // the inventory knows no caller: keep only what this caller may see
            return Reply.ok(all.stream()
                    .filter(w -> caller.isOperator() || w.departmentId() != null && caller.canAccess(w.departmentId()))
                    .toList());
        });
        r.get("/inventory/capacity", x -> Reply.ok(s.inventory().capacity()));
    }
}
