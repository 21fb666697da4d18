package org.tianshu.shell;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.audit.AuditEvent;
import org.tianshu.api.audit.AuditService;
import org.tianshu.api.cloud.CapacitySummary;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudAdminService;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.CloudStatus;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.Drift;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningService;
import org.tianshu.api.provisioning.ProvisioningState;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.Quota;
import org.tianshu.api.tenancy.QuotaResource;
import org.tianshu.api.tenancy.QuotaService;

/**
 * Small in-memory Tianshu services for command tests. A submitted request goes through the states in
 * {@link #script}, one per {@code await} call.
 */
final class FakeTianshu {
    final Map<String, Cloud> clouds = new TreeMap<>();
    final Map<String, Credentials> credentials = new TreeMap<>();
    final Map<String, Department> departments = new TreeMap<>();
    final Map<String, Quota> quotas = new TreeMap<>();
    final Map<String, Provisioning> requests = new TreeMap<>();
    final List<Workload> inventory = new ArrayList<>();
    final List<AuditEvent> audit = new ArrayList<>();
    final Deque<ProvisioningState> script = new ArrayDeque<>(
            List.of(ProvisioningState.CREATING, ProvisioningState.CREATING, ProvisioningState.ACTIVE));
    int awaits;

    final Clouds cloudService = new Clouds();
    final Departments departmentService = new Departments();
    final Quotas quotaService = new Quotas();
    final Provisionings provisioningService = new Provisionings();
    final Audit auditService = new Audit();

    FakeTianshu() {
        clouds.put("chengdu-os", new Cloud("chengdu-os", "Chengdu", CloudKind.OPENSTACK, "Chengdu", "RegionOne", 3,
                true, "https://keystone.example:5000/v3", "chengdu", Map.of()));
        departments.put("health", new Department("health", "省卫生健康委", null));
        departments.put("edu", new Department("edu", "省教育厅", "it@edu.example"));
        inventory.add(new Workload("chengdu-os", "u-1", "his", WorkloadKind.VM, "health", "h1", WorkloadState.ACTIVE,
                new Resources(2000, 4096, 40, 0), null));
        inventory.add(new Workload("chengdu-os", "u-2", "exam", WorkloadKind.VM, "edu", "h1", WorkloadState.ACTIVE,
                new Resources(2000, 4096, 40, 0), null));
    }

    Department department(String id) {
        Department d = departments.get(id);
        if (d == null) {
            throw TianshuException.notFound("department", "department", id);
        }
        return d;
    }

    final class Clouds implements CloudService, CloudAdminService, InventoryService {
        @Override
        public List<Cloud> list() {
            return List.copyOf(clouds.values());
        }

        @Override
        public Cloud get(String id) {
            Cloud c = clouds.get(id);
            if (c == null) {
                throw TianshuException.notFound("cloud", "cloud", id);
            }
            return c;
        }

        @Override
        public CloudStatus status(String id) {
            get(id);
            return new CloudStatus(id, Instant.parse("2025-03-01T08:00:00Z"), true, null, 1, inventory.size());
        }

        @Override
        public CloudSession session(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void putCredentials(Credentials c, Caller caller) {
            caller.checkOperator();
            credentials.put(c.ref(), c);
        }

        @Override
        public Cloud register(Cloud cloud, Caller caller) {
            caller.checkOperator();
            if (!credentials.containsKey(cloud.credentialsRef())) {
                throw TianshuException.notFound("credentialsRef", "credentials", cloud.credentialsRef());
            }
            clouds.put(cloud.id(), cloud);
            return cloud;
        }

        @Override
        public void unregister(String id, Caller caller) {
            caller.checkOperator();
            get(id);
            clouds.remove(id);
        }

        @Override
        public CloudStatus sync(String cloudId) {
            return status(cloudId);
        }

        @Override
        public List<Host> hosts(String cloudId) {
            return List.of(new Host("chengdu-os", "h1", "nova", new Resources(64000, 262144, 2000, 2),
                    new Resources(4000, 8192, 80, 0), "A100", true));
        }

        @Override
        public List<Workload> workloads(String cloudId, String departmentId) {
            return inventory.stream().filter(w -> departmentId == null || departmentId.equals(w.departmentId()))
                    .toList();
        }

        @Override
        public List<CapacitySummary> capacity() {
            return List.of(new CapacitySummary("chengdu-os", 1, new Resources(64000, 262144, 2000, 2),
                    new Resources(4000, 8192, 80, 0), 2));
        }

        @Override
        public Drift drift(String cloudId) {
            get(cloudId);
            return new Drift(cloudId, List.of(inventory.get(1)), List.of());
        }
    }

    final class Departments implements DepartmentService {
        @Override
        public List<Department> list(Caller caller) {
            return departments.values().stream().filter(d -> caller.canAccess(d.id())).toList();
        }

        @Override
        public Department get(String id) {
            return department(id);
        }

        @Override
        public Department create(Department d, Caller caller) {
            caller.checkOperator();
            if (departments.containsKey(d.id())) {
                throw TianshuException.conflict("id", "department '" + d.id() + "' exists");
            }
            departments.put(d.id(), d);
            return d;
        }

        @Override
        public void delete(String id, Caller caller) {
            caller.checkOperator();
            department(id);
            departments.remove(id);
        }
    }

    final class Quotas implements QuotaService {
        @Override
        public Quota set(String departmentId, String cloudId, QuotaResource resource, long limit, Caller caller) {
            caller.checkOperator();
            department(departmentId);
            Quota q = new Quota(departmentId, cloudId, resource, limit, 0);
            quotas.put(departmentId + "/" + cloudId + "/" + resource, q);
            return q;
        }

        @Override
        public void remove(String departmentId, String cloudId, QuotaResource resource, Caller caller) {
            caller.checkOperator();
            quotas.remove(departmentId + "/" + cloudId + "/" + resource);
        }

        @Override
        public List<Quota> list(String departmentId, Caller caller) {
            caller.checkAccess(departmentId);
            return quotas.values().stream().filter(q -> q.departmentId().equals(departmentId)).toList();
        }

        @Override
        public void reserve(String requestId, String departmentId, String cloudId, Resources r, long instances) {
        }

        @Override
        public void release(String requestId) {
        }
    }

    final class Provisionings implements ProvisioningService {
        @Override
        public Provisioning submit(String cloudId, WorkloadSpec spec, String idempotencyKey, Caller caller) {
            cloudService.get(cloudId);
            department(spec.departmentId());
            caller.checkAccess(spec.departmentId());
            String id = "req-" + (requests.size() + 1);
            Provisioning p = new Provisioning(id, idempotencyKey, cloudId, spec, Resources.ZERO,
                    ProvisioningState.RESERVED, null, null, caller.name(), Instant.now(), Instant.now());
            requests.put(id, p);
            return p;
        }

        @Override
        public Provisioning get(String id, Caller caller) {
            Provisioning p = requests.get(id);
            if (p == null || !caller.canAccess(p.spec().departmentId())) {
                throw TianshuException.notFound("id", "request", id);
            }
            return p;
        }

        @Override
        public List<Provisioning> list(String departmentId, Caller caller) {
            return requests.values().stream().filter(p -> caller.canAccess(p.spec().departmentId()))
                    .filter(p -> departmentId == null || departmentId.equals(p.spec().departmentId())).toList();
        }

        @Override
        public Provisioning await(String id, Duration timeout, Caller caller) {
            awaits++;
            Provisioning p = get(id, caller);
            ProvisioningState next = script.isEmpty() ? p.state() : script.poll();
            Provisioning q = new Provisioning(p.id(), p.idempotencyKey(), p.cloudId(), p.spec(), p.demand(), next,
                    next == ProvisioningState.ACTIVE || next == ProvisioningState.DELETED ? "srv-" + id
                            : p.externalId(),
                    next == ProvisioningState.FAILED ? "image kylin-v10 not found" : null, p.requestedBy(),
                    p.createdAt(), Instant.now());
            requests.put(id, q);
            return q;
        }

        @Override
        public Provisioning delete(String id, Caller caller) {
            Provisioning p = get(id, caller);
            Provisioning q = new Provisioning(p.id(), p.idempotencyKey(), p.cloudId(), p.spec(), p.demand(),
                    ProvisioningState.DELETING, p.externalId(), null, p.requestedBy(), p.createdAt(), Instant.now());
            requests.put(id, q);
            return q;
        }
    }

    final class Audit implements AuditService {
        @Override
        public void record(Caller caller, String action, String target, String outcome, String detail) {
            audit.add(new AuditEvent(audit.size() + 1, Instant.parse("2025-03-01T08:00:00Z"), caller.name(), action,
                    target, outcome, detail));
        }

        @Override
        public List<AuditEvent> recent(int limit, Caller caller) {
            caller.checkOperator();
            List<AuditEvent> copy = new ArrayList<>(audit);
            java.util.Collections.reverse(copy);
            return copy.subList(0, Math.min(limit, copy.size()));
        }
    }
}
