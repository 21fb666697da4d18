package org.tianshu.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.persistence.Database;

class AuditLogTest {
    @TempDir
    Path dir;

    @Test
    void recordsNewestFirstAndOnlyOperatorsRead() {
        try (Database db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "", 2)) {
            AuditLog log = new AuditLog(db.dataSource());
            Caller alice = new Caller("alice", Set.of("dept-health"));
            log.record(alice, "workload.create", "workload/web", "ok", null);
            log.record(alice, "workload.delete", "workload/web", "FORBIDDEN", "x".repeat(5000));
            assertThat(log.recent(10, Caller.SYSTEM))
                    .extracting(e -> e.action() + ":" + e.outcome() + ":" + e.principal())
                    .containsExactly("workload.delete:FORBIDDEN:alice", "workload.create:ok:alice");
            assertThat(log.recent(1, Caller.SYSTEM).get(0).detail()).hasSize(2000);
            assertThatThrownBy(() -> log.recent(10, alice)).isInstanceOf(TianshuException.class);
        }
    }
}
