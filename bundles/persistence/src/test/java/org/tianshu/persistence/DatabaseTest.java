package org.tianshu.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path dir;

    private String h2() {
        return "jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    }

    @Test
    void migratesOnceAndKeepsData() {
        try (Database db = Database.open(h2(), "sa", "", 2)) {
            assertThat(db.migrationsApplied()).isPositive();
            new Jdbc(db.dataSource()).update("INSERT INTO department(id, name, created_at) VALUES ('health', 'Health', CURRENT_TIMESTAMP)");
        }
        try (Database db = Database.open(h2(), "sa", "", 2)) {
            assertThat(db.migrationsApplied()).isZero();
            assertThat(new Jdbc(db.dataSource()).query("SELECT name FROM department", rs -> rs.getString(1)))
                    .containsExactly("Health");
        }
    }

    @Test
    void nestedTransactionsJoinAndRollBackTogether() {
        try (Database db = Database.open(h2(), "sa", "", 2)) {
            Jdbc outer = new Jdbc(db.dataSource());
            Jdbc other = new Jdbc(db.dataSource());
            assertThatThrownBy(() -> outer.tx(c -> {
                outer.update("INSERT INTO department(id, name, created_at) VALUES ('a', 'A', CURRENT_TIMESTAMP)");
                other.update("INSERT INTO department(id, name, created_at) VALUES ('b', 'B', CURRENT_TIMESTAMP)");
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(outer.query("SELECT id FROM department", rs -> rs.getString(1))).isEmpty();
        }
    }

    @Test
    void duplicateKeyIsRecognised() {
        try (Database db = Database.open(h2(), "sa", "", 2)) {
            Jdbc jdbc = new Jdbc(db.dataSource());
            jdbc.update("INSERT INTO department(id, name, created_at) VALUES ('a', 'A', CURRENT_TIMESTAMP)");
            assertThatThrownBy(() -> jdbc.update("INSERT INTO department(id, name, created_at) VALUES ('a', 'A', CURRENT_TIMESTAMP)"))
                    .satisfies(e -> assertThat(Jdbc.isDuplicateKey(e)).isTrue());
        }
    }

    @Test
    void refusesUnknownUrlNamingIt() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://x/y", "u", "p", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("url:");
    }
}
