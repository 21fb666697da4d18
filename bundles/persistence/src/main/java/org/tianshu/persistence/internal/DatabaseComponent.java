package org.tianshu.persistence.internal;

import java.util.Hashtable;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.persistence.Database;

/**
 * Opens the database from {@code etc/org.tianshu.persistence.cfg} and registers its DataSource
 * (property {@code tianshu.database=main}) once the schema is migrated, so core bundles never see
 * an old schema. A configuration change re-opens it (the component is re-created).
 */
@Component(configurationPid = "org.tianshu.persistence", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {})
@Designate(ocd = DatabaseComponent.Config.class)
public class DatabaseComponent {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseComponent.class);

    @ObjectClassDefinition(name = "Tianshu database", description = "Where Tianshu keeps its state")
    public @interface Config {
        @AttributeDefinition(description = "JDBC URL: jdbc:h2:... (embedded, default) or jdbc:postgresql://host:5432/db."
                + " ${karaf.data} is expanded.")
        String url() default "jdbc:h2:${karaf.data}/tianshu/tianshu;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000;WRITE_DELAY=0";

        @AttributeDefinition(description = "Database user")
        String user() default "tianshu";

        @AttributeDefinition(description = "Database password", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
        String password() default "tianshu";

        @AttributeDefinition(description = "Maximum pooled connections", min = "1")
        int poolSize() default 10;
    }

    private final Database database;
    private final ServiceRegistration<DataSource> registration;

    @Activate
    public DatabaseComponent(Config config, BundleContext context) {
        String url = config.url().replace("${karaf.data}", System.getProperty("karaf.data", "data"));
        if (config.poolSize() < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, got " + config.poolSize());
        }
        database = Database.open(url, config.user(), config.password(), config.poolSize());
        LOG.info("Tianshu database {} at schema version {} ({} migrations applied)", redact(url),
                database.schemaVersion(), database.migrationsApplied());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("tianshu.database", "main");
        registration = context.registerService(DataSource.class, database.dataSource(), props);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        database.close();
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^;&]*", "password=***");
    }
}
