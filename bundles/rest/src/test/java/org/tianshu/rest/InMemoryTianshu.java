package org.tianshu.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
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
 * Small in-memory implementations of the Tianshu services, enforcing the same rules the real ones
 * document (operator-only writes, department isolation, quota on instances). Provisioning settles at
 * once: a request is ACTIVE as soon as it is submitted.
 */
final class InMemoryTianshu {
    final Map<String, Cloud> clouds = new TreeMap<>();
    final Map<String, Credentials> credentials = new TreeMap<>();
    final Map<String, Department> departments = new TreeMap<>();
    final Map<String, Quota> quotas = new TreeMap<>();
    final Map<String, Provisioning> requests = new TreeMap<>();
    final List<Workload> inventory = new ArrayList<>();
    final List<AuditEvent> audit = new ArrayList<>();
    final List<String> idempotencyKeys = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    InMemoryTianshu() {
        clouds.put("chengdu-os", new Cloud("chengdu-os", "Chengdu OpenStack", CloudKind.OPENSTACK, "Chengdu",
                "RegionOne", 3, true, "https://keystone.example:5000/v3", "chengdu", Map.of()));
        departments.put("health", new Department("health", "省卫生健康委", null));
        departments.put("edu", new Department("edu", "省教育厅", null));
        inventory.add(new Workload("chengdu-os", "u-1", "his", WorkloadKind.VM, "health", "h1",
                WorkloadState.ACTIVE, new Resources(2000, 4096, 40, 0), null));
        inventory.add(new Workload("chengdu-os", "u-2", "exam", WorkloadKind.VM, "edu", "h1",
                WorkloadState.ACTIVE, new Resources(2000, 4096, 40, 0), null));
        inventory.add(new Workload("chengdu-os", "u-3", "stray", WorkloadKind.VM, null, "h1",
                WorkloadState.ACTIVE, new Resources(1000, 1024, 10, 0), null));
    }

    final Clouds clouds_ = new Clouds();
    final Departments departments_ = new Departments();
    final Quotas quotas_ = new Quotas();
    final Provisionings provisioning_ = new Provisionings();
    final Audit audit_ = new Audit();

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
            return new CloudStatus(id, Instant.parse("2025-01-01T00:00:00Z"), true, null, 1, inventory.size());
        }

        @Override
        public CloudSession session(String id) {
            throw new UnsupportedOperationException();
        }

        // CloudAdminService

        @Override
        public void putCredentials(Credentials c, Caller caller) {
            caller.checkOperator();
            credentials.put(c.ref(), c);
        }

        @Override
        public Cloud register(Cloud cloud, Caller caller) {
            caller.checkOperator();
            if (cloud.securityZone() < 1 || cloud.securityZone() > 4) {
                throw TianshuException.invalid("securityZone", "securityZone must be 1-4, got " + cloud.securityZone());
            }
            if (!credentials.containsKey(cloud.credentialsRef())) {
                throw TianshuException.notFound("credentialsRef", "credentials", cloud.credentialsRef());
            }
            if (clouds.containsKey(cloud.id())) {
                throw TianshuException.conflict("id", "cloud '" + cloud.id() + "' exists");
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

        // InventoryService

        @Override
        public CloudStatus sync(String cloudId) {
            return status(cloudId);
        }

        @Override
        public List<Host> hosts(String cloudId) {
            return List.of(new Host("chengdu-os", "h1", "nova", new Resources(64000, 262144, 2000, 0), Resources.ZERO,
                    null, true));
        }

        @Override
        public List<Workload> workloads(String cloudId, String departmentId) {
            return inventory.stream().filter(w -> cloudId == null || cloudId.equals(w.cloudId()))
                    .filter(w -> departmentId == null || departmentId.equals(w.departmentId())).toList();
        }

        @Override
        public List<CapacitySummary> capacity() {
            return List.of(new CapacitySummary("chengdu-os", 1, new Resources(64000, 262144, 2000, 0),
                    new Resources(5000, 9216, 90, 0), 3));
        }

        @Override
        public Drift drift(String cloudId) {
            get(cloudId);
            return new Drift(cloudId, List.of(inventory.get(2)), List.of());
        }
    }

    final class Departments implements DepartmentService {

        @Override
        public List<Department> list(Caller caller) {
            return departments.values().stream().filter(d -> caller.canAccess(d.id())).toList();
        }

        @Override
        public Department get(String id) {
            synchronized (InMemoryTianshu.this) {
                return department(id);
            }
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
        public Quota set(String departmentId, String cloudId, QuotaResource resource, long limit,
                Caller caller) {
            caller.checkOperator();
            department(departmentId);
            Quota q = new Quota(departmentId, cloudId, resource, limit, used(departmentId, resource));
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
            department(departmentId);
            return quotas.values().stream().filter(q -> q.departmentId().equals(departmentId)).toList();
        }

        @Override
        public void reserve(String requestId, String departmentId, String cloudId, Resources resources,
                long instances) {
            for (Quota q : quotas.values()) {
                if (q.departmentId().equals(departmentId) && q.resource() == QuotaResource.INSTANCES
                        && q.used() + instances > q.limit()) {
                    throw TianshuException.conflict("instances", "quota instances of department '" + departmentId
                            + "' is exhausted: " + q.used() + " of " + q.limit() + " used");
                }
            }
            quotas.replaceAll((k, q) -> q.departmentId().equals(departmentId) && q.resource() == QuotaResource.INSTANCES
                    ? new Quota(q.departmentId(), q.cloudId(), q.resource(), q.limit(), q.used() + instances) : q);
        }

        @Override
        public void release(String requestId) {
        }

        private long used(String departmentId, QuotaResource resource) {
            return resource == QuotaResource.INSTANCES ? requests.values().stream()
                    .filter(p -> p.spec().departmentId().equals(departmentId)).count() : 0;
        }
    }

    final class Provisionings implements ProvisioningService {

        @Override
        public Provisioning submit(String cloudId, WorkloadSpec spec, String idempotencyKey, Caller caller) {
            idempotencyKeys.add(idempotencyKey);
            clouds_.get(cloudId);
            Validation.id("name", spec.name());
            department(spec.departmentId());
            caller.checkAccess(spec.departmentId());
            if (idempotencyKey != null) {
                for (Provisioning p : requests.values()) {
                    if (idempotencyKey.equals(p.idempotencyKey()) && p.spec().departmentId().equals(spec.departmentId())) {
                        return p;
                    }
                }
            }
            String id = "req-" + ids.incrementAndGet();
            quotas_.reserve(id, spec.departmentId(), cloudId, Resources.ZERO, 1);
            Instant now = Instant.now();
            Provisioning p = new Provisioning(id, idempotencyKey, cloudId, spec, new Resources(1000, 1024, 10, 0),
                    ProvisioningState.ACTIVE, "ext-" + id, null, caller.name(), now, now);
            requests.put(id, p);
            return p;
        }

        @Override
        public Provisioning get(String id, Caller caller) {
            Provisioning p = requests.get(id);
            if (p == null || !caller.canAccess(p.spec().departmentId())) {
                throw TianshuException.notFound("id", "workload request", id);
            }
            return p;
        }

        @Override
        public List<Provisioning> list(String departmentId, Caller caller) {
            return requests.values().stream()
                    .filter(p -> departmentId == null || p.spec().departmentId().equals(departmentId))
                    .filter(p -> caller.canAccess(p.spec().departmentId()))
                    .sorted(Comparator.comparing(Provisioning::createdAt).reversed()).toList();
        }

        @Override
        public Provisioning await(String id, Duration timeout, Caller caller) {
            return get(id, caller);
        }

        @Override
        public Provisioning delete(String id, Caller caller) {
            Provisioning p = get(id, caller);
            Provisioning d = new Provisioning(p.id(), p.idempotencyKey(), p.cloudId(), p.spec(), p.demand(),
                    ProvisioningState.DELETING, p.externalId(), null, p.requestedBy(), p.createdAt(), Instant.now());
            requests.put(id, d);
            return d;
        }
    }

    final class Audit implements AuditService {

        @Override
        public void record(Caller caller, String action, String target, String outcome, String detail) {
            audit.add(new AuditEvent(audit.size() + 1, Instant.now(), caller.name(), action, target, outcome, detail));
        }

        @Override
        public List<AuditEvent> recent(int limit, Caller caller) {
            caller.checkOperator();
            List<AuditEvent> copy = new ArrayList<>(audit);
            java.util.Collections.reverse(copy);
            return copy.subList(0, Math.min(limit, copy.size()));
        }
    }

    Department department(String id) {
        Department d = departments.get(id);
        if (d == null) {
            throw TianshuException.notFound("department", "department", id);
        }
        return d;
    }

    Services services() {
        return new Services(clouds_, clouds_, clouds_, departments_, quotas_, provisioning_, audit_);
    }
}
