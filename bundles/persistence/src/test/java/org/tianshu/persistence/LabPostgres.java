package org.tianshu.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.tianshu.api.testing.LabScripts;

/**
 * The real PostgreSQL of the lab, for integration tests of every module (shared as a test jar).
 * {@link #start()} runs {@code lab/postgres.sh start}, which installs and starts it when needed.
 */
public final class LabPostgres {
    public static final String URL = System.getProperty("tianshu.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/tianshu_test");
    public static final String USER = "tianshu";
    public static final String PASSWORD = "tianshu";
    private static boolean started;

    private LabPostgres() {
    }

    /** Starts the lab's PostgreSQL (idempotent). */
    public static synchronized void start() {
        if (started) {
            return;
        }
        LabScripts.run("postgres.sh", "start");
        started = true;
    }

    /** Empties the test database and opens it at the current schema. */
    public static Database freshDatabase() {
        start();
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset " + URL, e);
        }
        return Database.open(URL, USER, PASSWORD, 20);
    }

    /** Opens the test database as it is (no reset), e.g. after a simulated crash. */
    public static Database existingDatabase() {
        start();
        return Database.open(URL, USER, PASSWORD, 20);
    }
}
