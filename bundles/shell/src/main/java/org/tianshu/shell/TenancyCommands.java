package org.tianshu.shell;

import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.Caller;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.Quota;
import org.tianshu.api.tenancy.QuotaResource;
import org.tianshu.api.tenancy.QuotaService;

/** Commands on departments and their quotas. */
final class TenancyCommands {
    private TenancyCommands() {
    }

    /** A limit as typed for {@code resource}: cpu {@code 500m}/{@code 8}, memory {@code 64Gi}, disk {@code 2Ti}. */
    static long limit(QuotaResource resource, String value) {
        if ("0".equals(value == null ? null : value.trim())) {
            return 0;
        }
        return switch (resource) {
            case CPU -> Units.cpuMillis("limit", value);
            case MEMORY -> Units.mebibytes("limit", value);
            case DISK -> Units.gibibytes("limit", value);
            case GPUS, INSTANCES -> Units.count("limit", value);
        };
    }

    /** A limit or usage for people: cores, Gi/Mi, GiB, counts. */
    static String show(QuotaResource resource, long amount) {
        return switch (resource) {
            case CPU -> InventoryCommands.cores(amount);
            case MEMORY -> InventoryCommands.mib(amount);
            case DISK -> amount + "Gi";
            case GPUS, INSTANCES -> Long.toString(amount);
        };
    }

    @Command(scope = "tianshu", name = "dept-add", description = "Creates a department")
    @Service
    public static class DeptAddCommand extends TianshuAction {
        @Reference
        DepartmentService departments;

        @Argument(index = 0, name = "id", required = true, description = "Department id, e.g. health")
        String id;
        @Argument(index = 1, name = "name", required = true, description = "Display name, e.g. 省卫生健康委")
        String name;
        @Option(name = "--contact", description = "Responsible person or mailbox")
        String contact;

        @Override
        void run() {
            Department d = audited("department.create", "department/" + id,
                    () -> departments.create(new Department(id, name, contact), caller()));
            out().println("Department " + d.id() + " (" + d.name() + ") created");
        }
    }

    @Command(scope = "tianshu", name = "dept-list", description = "Lists departments")
    @Service
    public static class DeptListCommand extends TianshuAction {
        @Reference
        DepartmentService departments;

        @Override
        void run() {
            Caller who = caller();
            ShellTable table = Tables.of("ID", "NAME", "CONTACT").emptyTableText("No departments");
            for (Department d : departments.list(who)) {
                if (who.canAccess(d.id())) {
                    table.addRow().addContent(d.id(), d.name(), dash(d.contact()));
                }
            }
            table.print(out());
        }
    }

    @Command(scope = "tianshu", name = "dept-remove", description = "Deletes a department that holds no reservations")
    @Service
    public static class DeptRemoveCommand extends TianshuAction {
        @Reference
        DepartmentService departments;

        @Argument(index = 0, name = "id", required = true, description = "Department id")
        @Completion(Completers.DepartmentIds.class)
        String id;

        @Override
        void run() {
            audited("department.delete", "department/" + id, () -> departments.delete(id, caller()));
            out().println("Department " + id + " deleted");
        }
    }

    @Command(scope = "tianshu", name = "quota-set", description = "Sets a department's limit on a resource")
    @Service
    public static class QuotaSetCommand extends TianshuAction {
        @Reference
        QuotaService quotas;

        @Argument(index = 0, name = "department", required = true, description = "Department id")
        @Completion(Completers.DepartmentIds.class)
        String department;
        @Argument(index = 1, name = "resource", required = true,
                description = "cpu (cores or 500m), memory (64Gi), disk (2Ti or GiB), gpus, instances")
        @Completion(Completers.QuotaResources.class)
        String resource;
        @Argument(index = 2, name = "limit", required = true, description = "The limit, e.g. 32, 500m, 128Gi")
        String limit;
        @Option(name = "--cloud", description = "Only in this cloud (default: across every cloud)")
        @Completion(Completers.CloudIds.class)
        String cloud;
        @Option(name = "--remove", description = "Remove the limit instead (the resource becomes unlimited)")
        boolean remove;

        @Override
        void run() {
            QuotaResource r = QuotaResource.parse("resource", resource);
            String scope = cloud == null ? Quota.ALL_CLOUDS : cloud;
            String target = "department/" + department + "/quota/" + r.id() + "@" + scope;
            if (remove) {
                audited("quota.remove", target, () -> quotas.remove(department, scope, r, caller()));
                out().println("Limit on " + r.id() + " of " + department + " removed");
                return;
            }
            long amount = limit(r, limit);
            Quota q = audited("quota.set", target, () -> quotas.set(department, scope, r, amount, caller()));
            out().println("Limit on " + r.id() + " of " + department + (cloud == null ? "" : " in " + cloud)
                    + " set to " + show(r, q.limit()) + " (" + q.limit() + " " + r.unit() + "), used "
                    + show(r, q.used()));
        }
    }

    @Command(scope = "tianshu", name = "quota-list", description = "Lists limits and usage of a department, or of all")
    @Service
    public static class QuotaListCommand extends TianshuAction {
        @Reference
        QuotaService quotas;
        @Reference
        DepartmentService departments;

        @Argument(index = 0, name = "department", description = "Department id (default: every visible department)")
        @Completion(Completers.DepartmentIds.class)
        String department;

        @Override
        void run() {
            Caller who = caller();
            List<Quota> all = new ArrayList<>();
            if (department != null) {
                who.checkAccess(department);
                all.addAll(quotas.list(department, who));
            } else {
                for (Department d : departments.list(who)) {
                    if (who.canAccess(d.id())) {
                        all.addAll(quotas.list(d.id(), who));
                    }
                }
            }
            ShellTable table = Tables.of("DEPARTMENT", "CLOUD", "RESOURCE", "LIMIT", "USED", "USE %")
                    .emptyTableText("No limits set");
            for (Quota q : all) {
                if (!who.canAccess(q.departmentId())) {
                    continue;
                }
                table.addRow().addContent(q.departmentId(), Quota.ALL_CLOUDS.equals(q.cloudId()) ? "(all)"
                        : q.cloudId(), q.resource().id(), show(q.resource(), q.limit()), show(q.resource(), q.used()),
                        q.limit() == 0 ? "-" : Math.round(100.0 * q.used() / q.limit()) + "%");
            }
            table.print(out());
        }
    }
}
