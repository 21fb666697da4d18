package org.tianshu.quota;

import java.util.Map;
import org.tianshu.api.Caller;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.testing.InMemoryCloudDriver;
import org.tianshu.inventory.InventoryComponent;
import org.tianshu.persistence.Database;

/** Departments, quotas and one in-memory cloud on a given database. */
final class QuotaFixture implements AutoCloseable {
    final InMemoryCloudDriver driver = new InMemoryCloudDriver(CloudKind.KUBERNETES);
    final InventoryComponent inventory;
    final Departments departments;
    final Quotas quotas;

    QuotaFixture(Database db) {
        inventory = new InventoryComponent(db.dataSource(), 0, 1);
        inventory.addDriver(driver);
        departments = new Departments(db.dataSource());
        quotas = new Quotas(db.dataSource(), departments, inventory);
        inventory.putCredentials(new Credentials("lab", Map.of()), Caller.SYSTEM);
        inventory.register(new Cloud("chengdu", null, CloudKind.KUBERNETES, "成都", null, 3, false, "http://chengdu:1",
                "lab", Map.of()), Caller.SYSTEM);
        departments.create(new Department("health", "省卫生健康委", null), Caller.SYSTEM);
    }

    @Override
    public void close() {
        inventory.deactivate();
    }
}
