package org.tianshu.rest;

import org.tianshu.api.Caller;
import org.tianshu.api.Validation;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.tenancy.Quota;
import org.tianshu.api.tenancy.QuotaResource;

/** {@code /departments}: departments and their quotas. */
final class DepartmentResource {
    /** Body of {@code POST /departments}. */
    record DepartmentBody(String id, String name, String contact) {
    }

    /** Body of {@code PUT /departments/{id}/quotas/{resource}}. */
    record LimitBody(Long limit) {
    }

    private final Services s;

    DepartmentResource(Services services) {
        this.s = services;
    }

    void routes(Router r) {
        r.get("/departments", x -> Reply.ok(s.departments().list(x.caller()).stream()
                .filter(d -> x.caller().canAccess(d.id())).toList()));
        r.mutate("POST", "/departments", "department.create", x -> {
            DepartmentBody b = x.body(DepartmentBody.class);
            x.target("department/" + b.id());
            Department created = s.departments().create(new Department(Validation.id("id", b.id()),
                    Exchange.required("name", b.name()), b.contact()), x.caller());
            return Reply.created(created, "/api/v1/departments/" + created.id());
        });
        r.get("/departments/{id}", x -> {
            x.caller().checkAccess(x.path("id"));
            return Reply.ok(s.departments().get(x.path("id")));
        });
        r.mutate("DELETE", "/departments/{id}", "department.delete", x -> {
            x.target("department/" + x.path("id"));
            s.departments().delete(x.path("id"), x.caller());
            return Reply.noContent();
        });
        r.get("/departments/{id}/quotas", x -> {
            Caller caller = x.caller();
            caller.checkAccess(x.path("id"));
            return Reply.ok(s.quotas().list(x.path("id"), caller).stream()
                    .filter(q -> caller.canAccess(q.departmentId())).toList());
        });
        r.mutate("PUT", "/departments/{id}/quotas/{resource}", "quota.set", x -> {
            String department = x.path("id");
            QuotaResource resource = QuotaResource.parse("resource", x.path("resource"));
            String cloud = cloud(x);
            x.target(quotaTarget(department, resource, cloud));
            x.caller().checkAccess(department);
            LimitBody b = x.body(LimitBody.class);
            long limit = Validation.nonNegative("limit", Exchange.required("limit", b.limit()));
            return Reply.ok(s.quotas().set(department, cloud, resource, limit, x.caller()));
        });
        r.mutate("DELETE", "/departments/{id}/quotas/{resource}", "quota.remove", x -> {
            String department = x.path("id");
            QuotaResource resource = QuotaResource.parse("resource", x.path("resource"));
            String cloud = cloud(x);
            x.target(quotaTarget(department, resource, cloud));
            x.caller().checkAccess(department);
            s.quotas().remove(department, cloud, resource, x.caller());
            return Reply.noContent();
        });
    }

    private static String cloud(Exchange x) {
        String cloud = x.query("cloud");
        return cloud == null ? Quota.ALL_CLOUDS : cloud;
    }

    private static String quotaTarget(String department, QuotaResource resource, String cloud) {
        return "department/" + department + "/quota/" + resource.id() + "@" + cloud;
    }
}
