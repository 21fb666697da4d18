package org.tianshu.persistence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

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

    /** Runs the project's lab scripts. */
    public static final class LabScripts {
        private LabScripts() {
        }

        /** The repository root: the nearest parent folder that holds {@code lab/lib.sh}. */
        public static Path root() {
            for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                if (Files.exists(p.resolve("lab/lib.sh"))) {
                    return p;
                }
            }
            throw new IllegalStateException("no lab/ folder above " + Path.of("").toAbsolutePath());
        }

        /** Runs {@code lab/<script> args...}, failing on a non-zero exit. */
        public static void run(String script, String... args) {
            String[] cmd = new String[args.length + 2];
            cmd[0] = "bash";
            cmd[1] = root().resolve("lab").resolve(script).toString();
            System.arraycopy(args, 0, cmd, 2, args.length);
            try {
                // output goes through System.out: a test runner's forked JVM owns the real stdout
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                p.getInputStream().transferTo(System.out);
                int exit = p.waitFor();
                if (exit != 0) {
                    throw new IllegalStateException("lab/" + script + " exited with " + exit);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot run lab/" + script, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted running lab/" + script, e);
            }
        }
    }
}
