package org.tianshu.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.persistence.Database;
import org.tianshu.persistence.Jdbc;

class CloudRowsTest {
    @TempDir
    Path dir;

    static Object[] workload(String id, WorkloadState state, long cpu) {
        return new Object[] {id, "name-" + id, WorkloadKind.CONTAINER, "health", null, state, cpu, 256L, 0L, 0L, null};
    }

    static CloudRows.Changes replace(Jdbc jdbc, CloudRows rows, List<Object[]> next) {
        return jdbc.tx(c -> rows.replace("k", next));
    }

    @Test
    void writesOnlyWhatChanged() {
        try (Database db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "", 2)) {
            Jdbc jdbc = new Jdbc(db.dataSource());
            jdbc.update("INSERT INTO credential(ref, secret_json, updated_at) VALUES ('c', '{}', ?)", Instant.now());
            jdbc.update("INSERT INTO cloud(id, name, kind, city, security_zone, xinchuang, endpoint, credentials_ref, options_json,"
                    + " created_at) VALUES ('k', 'k', 'KUBERNETES', 'x', 3, FALSE, 'http://k', 'c', '{}', ?)", Instant.now());
            CloudRows rows = new CloudRows(jdbc, "workload", "external_id", "name", "kind", "department_id", "host", "state",
                    "cpu", "memory", "disk", "gpus", "request_id");
            List<Object[]> first = new ArrayList<>(List.of(workload("a", WorkloadState.ACTIVE, 100),
                    workload("b", WorkloadState.BUILDING, 200), workload("c", WorkloadState.ACTIVE, 300)));

            assertThat(replace(jdbc, rows, first)).isEqualTo(new CloudRows.Changes(3, 0, 0));
            assertThat(replace(jdbc, rows, first)).isEqualTo(new CloudRows.Changes(0, 0, 0));

            List<Object[]> second = List.of(workload("a", WorkloadState.ACTIVE, 100), workload("b", WorkloadState.ACTIVE, 200),
                    workload("d", WorkloadState.BUILDING, 50));
            assertThat(replace(jdbc, rows, second)).isEqualTo(new CloudRows.Changes(1, 1, 1));
            assertThat(jdbc.query("SELECT external_id || ':' || state || ':' || cpu FROM workload ORDER BY external_id",
                    rs -> rs.getString(1))).containsExactly("a:ACTIVE:100", "b:ACTIVE:200", "d:BUILDING:50");
        }
    }
}
