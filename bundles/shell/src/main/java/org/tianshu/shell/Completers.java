package org.tianshu.shell;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningService;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.QuotaResource;

/** Completers of the {@code tianshu:*} commands, backed by the services. */
final class Completers {
    private Completers() {
    }

    static int complete(Stream<String> values, Session session, CommandLine line, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        values.forEach(delegate.getStrings()::add);
        return delegate.complete(session, line, candidates);
    }

    /** Ids of the onboarded clouds. */
    @Service
    public static class CloudIds implements Completer {
        @Reference
        CloudService clouds;

        @Override
        public int complete(Session session, CommandLine line, List<String> candidates) {
            return Completers.complete(clouds.list().stream().map(Cloud::id), session, line, candidates);
        }
    }

    /** Ids of the departments the caller may see. */
    @Service
    public static class DepartmentIds implements Completer {
        @Reference
        DepartmentService departments;

        @Override
        public int complete(Session session, CommandLine line, List<String> candidates) {
            return Completers.complete(departments.list(ShellCaller.current()).stream().map(Department::id), session,
                    line, candidates);
        }
    }

    /** Ids of the provisioning requests the caller may see. */
    @Service
    public static class WorkloadIds implements Completer {
        @Reference
        ProvisioningService provisioning;

        @Override
        public int complete(Session session, CommandLine line, List<String> candidates) {
            return Completers.complete(provisioning.list(null, ShellCaller.current()).stream().map(Provisioning::id),
                    session, line, candidates);
        }
    }

    /** Quota resource names: cpu, memory, disk, gpus, instances. */
    @Service
    public static class QuotaResources implements Completer {
        @Override
        public int complete(Session session, CommandLine line, List<String> candidates) {
            return Completers.complete(Arrays.stream(QuotaResource.values()).map(QuotaResource::id), session, line,
                    candidates);
        }
    }

    /** Cloud kinds: openstack, kubernetes. */
    @Service
    public static class CloudKinds implements Completer {
        @Override
        public int complete(Session session, CommandLine line, List<String> candidates) {
            return Completers.complete(Arrays.stream(CloudKind.values()).map(CloudKind::id), session, line,
                    candidates);
        }
    }
}
