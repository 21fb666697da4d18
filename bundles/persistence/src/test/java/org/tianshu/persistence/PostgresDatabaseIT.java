package org.tianshu.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The schema migrates on the real PostgreSQL that lab/postgres.sh starts. */
class PostgresDatabaseIT {
    @Test
    void migratesOnPostgres() {
        LabPostgres.start();
        try (Database db = LabPostgres.freshDatabase()) {
            Jdbc jdbc = new Jdbc(db.dataSource());
            assertThat(db.migrationsApplied()).isPositive();
            jdbc.update("INSERT INTO department(id, name, created_at) VALUES ('health', '省卫生健康委', CURRENT_TIMESTAMP)");
            assertThat(jdbc.one("SELECT name FROM department WHERE id = ?", rs -> rs.getString(1), "health"))
                    .contains("省卫生健康委");
            assertThat(jdbc.one("SELECT current_setting('server_version_num')", rs -> rs.getInt(1)).orElseThrow())
                    .isGreaterThanOrEqualTo(150000);
        }
    }
}
