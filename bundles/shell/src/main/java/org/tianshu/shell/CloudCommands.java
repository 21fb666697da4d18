package org.tianshu.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudAdminService;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.CloudStatus;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.InventoryService;

/** Commands on onboarded clouds and their credentials. */
final class CloudCommands {
    private CloudCommands() {
    }

    /** Splits {@code key=value} items; INVALID naming {@code field} otherwise. */
    static Map<String, String> pairs(String field, List<String> items) {
        Map<String, String> map = new LinkedHashMap<>();
        if (items != null) {
            for (String item : items) {
                int eq = item.indexOf('=');
                if (eq <= 0) {
                    throw TianshuException.invalid(field, field + " must be key=value; got '" + item + "'");
                }
                map.put(item.substring(0, eq).trim(), item.substring(eq + 1));
            }
        }
        return map;
    }

    @Command(scope = "tianshu", name = "cloud-add", description = "Onboards an OpenStack region or Kubernetes cluster")
    @Service
    public static class CloudAddCommand extends TianshuAction {
        @Reference
        CloudAdminService admin;

        @Argument(index = 0, name = "id", required = true, description = "Cloud id, e.g. chengdu-os")
        String id;
        @Option(name = "--name", description = "Display name (default: the id)")
        String name;
        @Option(name = "--kind", required = true, description = "openstack or kubernetes")
        @Completion(Completers.CloudKinds.class)
        String kind;
        @Option(name = "--endpoint", required = true, description = "Keystone v3 URL or Kubernetes API server URL")
        String endpoint;
        @Option(name = "--city", required = true, description = "City or prefecture hosting the cloud")
        String city;
        @Option(name = "--region", description = "The cloud's own region name")
        String region;
        @Option(name = "--zone", required = true, description = "MLPS 2.0 protection level of the security zone, 1-4")
        int zone;
        @Option(name = "--xinchuang", description = "Built on domestic (信创) hardware and OS")
        boolean xinchuang;
        @Option(name = "--credentials", required = true, description = "Name of stored credentials (credentials-set)")
        String credentials;
        @Option(name = "--option", multiValued = true, description = "Driver option key=value, repeatable")
        List<String> options;

        @Override
        void run() {
            Cloud cloud = new Cloud(id, name == null ? id : name, CloudKind.parse("kind", kind), city, region, zone,
                    xinchuang, endpoint, credentials, pairs("option", options));
            Cloud added = audited("cloud.register", "cloud/" + id, () -> admin.register(cloud, caller()));
            out().println("Cloud " + added.id() + " onboarded (" + added.kind().id() + ", " + added.city()
                    + ", MLPS level " + added.securityZone() + ")");
        }
    }

    @Command(scope = "tianshu", name = "cloud-list", description = "Lists onboarded clouds with their sync status")
    @Service
    public static class CloudListCommand extends TianshuAction {
        @Reference
        CloudService clouds;

        @Override
        void run() {
            ShellTable table = Tables.of("ID", "KIND", "CITY", "REGION", "MLPS", "XINCHUANG", "REACHABLE",
                    "LAST SYNC", "HOSTS", "WORKLOADS", "ERROR")
                    .emptyTableText("No clouds onboarded");
            for (Cloud c : clouds.list()) {
                CloudStatus s;
                try {
                    s = clouds.status(c.id());
                } catch (TianshuException e) {
                    s = new CloudStatus(c.id(), null, false, e.getMessage(), 0, 0);
                }
                table.addRow().addContent(c.id(), c.kind().id(), c.city(), dash(c.region()), c.securityZone(),
                        c.xinchuang() ? "yes" : "no", s.lastSync() == null ? "never" : s.reachable() ? "yes" : "no",
                        dash(s.lastSync()), s.hosts(), s.workloads(), dash(s.error()));
            }
            table.print(out());
        }
    }

    @Command(scope = "tianshu", name = "cloud-remove", description = "Removes a cloud from Tianshu (the cloud is untouched)")
    @Service
    public static class CloudRemoveCommand extends TianshuAction {
        @Reference
        CloudAdminService admin;

        @Argument(index = 0, name = "id", required = true, description = "Cloud id")
        @Completion(Completers.CloudIds.class)
        String id;

        @Override
        void run() {
            audited("cloud.unregister", "cloud/" + id, () -> admin.unregister(id, caller()));
            out().println("Cloud " + id + " removed");
        }
    }

    @Command(scope = "tianshu", name = "cloud-sync", description = "Syncs the inventory of a cloud now")
    @Service
    public static class CloudSyncCommand extends TianshuAction {
        @Reference
        InventoryService inventory;

        @Argument(index = 0, name = "id", required = true, description = "Cloud id")
        @Completion(Completers.CloudIds.class)
        String id;

        @Override
        void run() {
            CloudStatus s = audited("cloud.sync", "cloud/" + id, () -> {
                caller().checkOperator();
                return inventory.sync(id);
            });
            out().println(s.reachable() ? "Cloud " + id + " synced: " + s.hosts() + " hosts, " + s.workloads()
                    + " workloads" : "Cloud " + id + " unreachable: " + s.error());
        }
    }

    @Command(scope = "tianshu", name = "credentials-set",
            description = "Stores credentials for clouds to refer to; a value left empty (password=) is asked for")
    @Service
    public static class CredentialsSetCommand extends TianshuAction {
        @Reference
        CloudAdminService admin;
        @Reference(optional = true)
        Session session;

        @Argument(index = 0, name = "ref", required = true, description = "Credentials name")
        String ref;
        @Argument(index = 1, name = "values", required = true, multiValued = true,
                description = "key=value, e.g. username=tianshu project=ops password=")
        List<String> values;

        @Override
        void run() throws Exception {
            Map<String, String> secrets = pairs("values", values);
            for (Map.Entry<String, String> e : secrets.entrySet()) {
                if (e.getValue().isEmpty() && session != null) {
                    e.setValue(session.readLine(e.getKey() + ": ", '*'));
                }
            }
            audited("credentials.put", "credentials/" + ref,
                    () -> admin.putCredentials(new Credentials(ref, secrets), caller()));
            out().println("Credentials " + ref + " stored: " + String.join(", ", new TreeSet<>(secrets.keySet())));
        }
    }
}
