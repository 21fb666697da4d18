package org.tianshu.quota;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tianshu.api.Caller;
import org.tianshu.api.tenancy.QuotaResource;
import org.tianshu.persistence.Database;
import org.tianshu.persistence.LabPostgres;

/** The concurrent-quota guarantee on the real PostgreSQL. */
class PostgresQuotasIT {
    @Test
    void fiftyConcurrentReservationsAgainstTenGiveExactlyTen() throws Exception {
        try (Database db = LabPostgres.freshDatabase(); QuotaFixture f = new QuotaFixture(db)) {
            f.quotas.set("health", "*", QuotaResource.INSTANCES, 10, Caller.SYSTEM);
            f.quotas.set("health", "chengdu", QuotaResource.CPU, 100_000, Caller.SYSTEM);
            assertThat(ConcurrentReservations.run(f.quotas, 50)).isEqualTo(10);
            assertThat(f.quotas.list("health", Caller.SYSTEM)).extracting(q -> q.resource() + "=" + q.used())
                    .containsExactlyInAnyOrder("INSTANCES=10", "CPU=5000");
        }
    }
}
