package org.tianshu.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The Tianshu database: a connection pool over embedded H2 or PostgreSQL, migrated to the current
 * schema when opened. Used by the OSGi component and directly by tests and benchmarks.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final MigrateResult migration;

    private Database(HikariDataSource pool, MigrateResult migration) {
        this.pool = pool;
        this.migration = migration;
    }

    /**
     * Opens and migrates the database at {@code url} ({@code jdbc:h2:...} or {@code jdbc:postgresql:...}).
     *
     * @throws IllegalArgumentException naming {@code url} for any other scheme
     */
    public static Database open(String url, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(driverDataSource(url, user, password));
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("tianshu");
        config.setAutoCommit(true);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway flyway = Flyway.configure(Database.class.getClassLoader())
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load();
            return new Database(pool, flyway.migrate());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static DataSource driverDataSource(String url, String user, String password) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url: a JDBC URL is required");
        }
        if (url.startsWith("jdbc:h2:")) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(url);
            ds.setUser(user);
            ds.setPassword(password);
            return ds;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(url);
            ds.setUser(user);
            ds.setPassword(password);
            return ds;
        }
        throw new IllegalArgumentException("url: only jdbc:h2: and jdbc:postgresql: are supported, got " + url);
    }

    /** The pooled DataSource. */
    public DataSource dataSource() {
        return pool;
    }

    /** The schema version after migration. */
    public String schemaVersion() {
        return migration.targetSchemaVersion != null ? migration.targetSchemaVersion
                : String.valueOf(migration.initialSchemaVersion);
    }

    /** Migrations applied when this instance opened. */
    public int migrationsApplied() {
        return migration.migrationsExecuted;
    }

    @Override
    public void close() {
        pool.close();
    }
}
