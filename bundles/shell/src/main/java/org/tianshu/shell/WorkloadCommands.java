package org.tianshu.shell;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningService;
import org.tianshu.api.provisioning.ProvisioningState;
import org.tianshu.api.scheduling.CloudVerdict;
import org.tianshu.api.scheduling.PlacementConstraints;

/** Commands that create, list and delete VMs and container workloads. */
final class WorkloadCommands {
    private WorkloadCommands() {
    }

    /** Longest single wait between progress lines. */
    static Duration step = Duration.ofSeconds(5);

    /**
     * Waits until request {@code p} is settled or {@code timeout} passes, printing each new state.
     * Returns the latest record; a FAILED request is an error naming its cause.
     */
    static Provisioning follow(ProvisioningService provisioning, Provisioning p, Caller caller, Duration timeout,
            PrintStream out) {
        Instant deadline = Instant.now().plus(timeout);
        ProvisioningState shown = p.state();
        out.println("  " + p.state());
        while (!p.state().settled()) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                out.println("Still " + p.state() + " after " + timeout.toSeconds() + "s; follow it with "
                        + "tianshu:workload-list");
                return p;
            }
            p = provisioning.await(p.id(), left.compareTo(step) < 0 ? left : step, caller);
            if (p.state() != shown) {
                shown = p.state();
                out.println("  " + shown + (p.externalId() == null ? "" : " (" + p.externalId() + ")"));
            }
        }
        if (p.state() == ProvisioningState.FAILED) {
            throw new TianshuException(TianshuException.Kind.CONFLICT, null, "request " + p.id() + " failed"
                    + (p.error() == null ? "" : ": " + p.error()));
        }
        return p;
    }

    /** Options shared by the create commands. */
    abstract static class CreateCommand extends TianshuAction {
        @Reference
        ProvisioningService provisioning;

        @Argument(index = 0, name = "name", required = true, description = "Workload name")
        String name;
        @Option(name = "--cloud", description = "Target cloud (default: the scheduler chooses, within the options below)")
        @Completion(Completers.CloudIds.class)
        String cloud;
        @Option(name = "--city", description = "Without --cloud: data residency, clouds of this city only")
        String city;
        @Option(name = "--min-zone", description = "Without --cloud: lowest MLPS level of the cloud's security zone, 1-4")
        String minZone;
        @Option(name = "--xinchuang", description = "Without --cloud: only domestic (信创) clouds")
        boolean xinchuang;
        @Option(name = "--department", required = true, description = "Owning department")
        @Completion(Completers.DepartmentIds.class)
        String department;
        @Option(name = "--no-wait", description = "Return once the request is accepted")
        boolean noWait;
        @Option(name = "--timeout", description = "Seconds to wait for the workload to settle")
        int timeoutSeconds = 600;
        @Option(name = "--idempotency-key", description = "Repeating a key returns the first request")
        String idempotencyKey;

        abstract WorkloadSpec spec();

        @Override
        void run() {
            Validation.required("name", name);
            WorkloadSpec spec = spec();
            Caller who = caller();
            Provisioning p;
            if (cloud != null) {
                if (city != null || minZone != null || xinchuang) {
                    throw TianshuException.invalid("cloud", "--city, --min-zone and --xinchuang apply only when the"
                            + " scheduler chooses the cloud; leave out --cloud");
                }
                p = audited("workload.create", "workload/" + department + "/" + name + "@" + cloud,
                        () -> provisioning.submit(cloud, spec, idempotencyKey, who));
            } else {
                PlacementConstraints constraints = new PlacementConstraints(Set.of(),
                        minZone == null ? 1 : Math.toIntExact(Units.count("min-zone", minZone)), xinchuang, city, Set.of(),
                        null, null, false, null);
                p = audited("workload.create", "workload/" + department + "/" + name,
                        () -> provisioning.submit(spec, constraints, null, idempotencyKey, who));
            }
            out().println("Request " + p.id() + " accepted: " + spec.kind().id() + " " + name + " in " + p.cloudId()
                    + " for " + department);
            if (p.placement() != null) {
                out().println("  placed by the scheduler: " + p.placement().summary());
                for (CloudVerdict v : p.placement().clouds()) {
                    out().println("    " + v.cloudId() + ": " + (v.rejectedBy() == null ? "fits, " : "rejected by "
                            + v.rejectedBy() + ", ") + v.reason());
                }
            }
            if (noWait) {
                out().println("  " + p.state());
                return;
            }
            Provisioning last = follow(provisioning, p, who, Duration.ofSeconds(timeoutSeconds), out());
            if (last.state() == ProvisioningState.ACTIVE) {
                out().println(name + " is ACTIVE" + (last.externalId() == null ? "" : " as " + last.externalId()));
            }
        }
    }

    @Command(scope = "tianshu", name = "vm-create", description = "Creates a VM and waits until it is ACTIVE")
    @Service
    public static class VmCreateCommand extends CreateCommand {
        @Option(name = "--flavor", required = true, description = "Flavor name")
        String flavor;
        @Option(name = "--image", required = true, description = "Image name")
        String image;
        @Option(name = "--network", description = "Network name (default: the cloud's)")
        String network;

        @Override
        WorkloadSpec spec() {
            return WorkloadSpec.vm(name, department, flavor, image, network);
        }
    }

    @Command(scope = "tianshu", name = "workload-create",
            description = "Creates a container workload (Deployment or StatefulSet) and waits until it is ACTIVE")
    @Service
    public static class WorkloadCreateCommand extends CreateCommand {
        @Option(name = "--image", required = true, description = "Container image reference")
        String image;
        @Option(name = "--replicas", description = "Replicas (default 1)")
        int replicas = 1;
        @Option(name = "--cpu", required = true, description = "CPU per replica: millicores like 500m, or cores like 2")
        String cpu;
        @Option(name = "--memory", required = true, description = "Memory per replica, like 512Mi or 2Gi")
        String memory;
        @Option(name = "--gpus", description = "GPUs per replica (default 0)")
        long gpus;
        @Option(name = "--statefulset", description = "A StatefulSet instead of a Deployment")
        boolean statefulset;

        @Override
        WorkloadSpec spec() {
            Validation.positive("replicas", replicas);
            Validation.nonNegative("gpus", gpus);
            return WorkloadSpec.container(name, department, image, replicas, Units.cpuMillis("cpu", cpu),
                    Units.mebibytes("memory", memory), gpus, statefulset ? "statefulset" : "deployment");
        }
    }

    @Command(scope = "tianshu", name = "workload-list", description = "Lists provisioning requests, newest first")
    @Service
    public static class WorkloadListCommand extends TianshuAction {
        @Reference
        ProvisioningService provisioning;

        @Option(name = "--department", description = "Only this department")
        @Completion(Completers.DepartmentIds.class)
        String department;

        @Override
        void run() {
            Caller who = caller();
            if (department != null) {
                who.checkAccess(department);
            }
            ShellTable table = Tables.of("ID", "NAME", "KIND", "DEPARTMENT", "CLOUD", "STATE", "EXTERNAL ID",
                    "REQUESTED BY", "CREATED", "ERROR")
                    .emptyTableText("No workloads");
            for (Provisioning p : provisioning.list(department, who)) {
                if (!who.canAccess(p.spec().departmentId())) {
                    continue;
                }
                table.addRow().addContent(p.id(), p.spec().name(), p.spec().kind().id(), p.spec().departmentId(),
                        p.cloudId(), p.state(), dash(p.externalId()), p.requestedBy(), p.createdAt(),
                        dash(p.error()));
            }
            table.print(out());
        }
    }

    @Command(scope = "tianshu", name = "workload-delete", description = "Deletes the workload of a request")
    @Service
    public static class WorkloadDeleteCommand extends TianshuAction {
        @Reference
        ProvisioningService provisioning;

        @Argument(index = 0, name = "id", required = true, description = "Request id (see workload-list)")
        @Completion(Completers.WorkloadIds.class)
        String id;
        @Option(name = "--no-wait", description = "Return once deletion has started")
        boolean noWait;
        @Option(name = "--timeout", description = "Seconds to wait for the deletion")
        int timeoutSeconds = 600;

        @Override
        void run() {
            Caller who = caller();
            Provisioning p = audited("workload.delete", "workload/" + id, () -> provisioning.delete(id, who));
            out().println("Deleting " + p.spec().name() + " (request " + id + ")");
            if (noWait) {
                out().println("  " + p.state());
                return;
            }
            Provisioning last = follow(provisioning, p, who, Duration.ofSeconds(timeoutSeconds), out());
            if (last.state() == ProvisioningState.DELETED) {
                out().println(p.spec().name() + " deleted");
            }
        }
    }
}
