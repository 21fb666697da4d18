package org.tianshu.adapter.influxdb;

import java.time.Duration;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.metrics.MetricsSink;
import org.tianshu.api.metrics.SinkStats;

/** The InfluxDB sink in the runtime; created only when PID {@code org.tianshu.adapter.influxdb} is configured. */
@Component(service = MetricsSink.class, configurationPid = "org.tianshu.adapter.influxdb",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = InfluxSinkComponent.Config.class)
public class InfluxSinkComponent implements MetricsSink {

    @ObjectClassDefinition(name = "Tianshu InfluxDB sink",
            description = "Where metrics are written: InfluxDB 1.x HTTP API, also served by InfluxDB 2.x/3.x with a DBRP mapping")
    public @interface Config {
        @AttributeDefinition(description = "Base URL of the server, e.g. http://127.0.0.1:8086")
        String url();

        @AttributeDefinition(description = "Database (on 2.x/3.x the database name of the DBRP mapping)")
        String database() default "tianshu";

        @AttributeDefinition(description = "User; empty when authentication is off", required = false)
        String user() default "";

        @AttributeDefinition(description = "Password (InfluxDB 3: the token)", type = AttributeType.PASSWORD, required = false)
        String password() default "";

        @AttributeDefinition(description = "Points sent in one /write request", min = "1")
        int batchSize() default 500;

        @AttributeDefinition(description = "Milliseconds between writes of a partly filled batch", min = "10")
        long flushIntervalMillis() default 1000;

        @AttributeDefinition(description = "Points kept while InfluxDB is unreachable; beyond it new points are dropped and counted", min = "1")
        int bufferSize() default 100000;

        @AttributeDefinition(description = "Longest wait between retries in milliseconds (waits start at 100 and double)", min = "100")
        long maxBackoffMillis() default 30000;

        @AttributeDefinition(description = "Write requests in flight at once, each with its own batch (one keeps the points'"
                + " order; more write faster and may store batches out of order)", min = "1")
        int writers() default InfluxSink.DEFAULT_WRITERS;
    }

    private final InfluxSink sink;

    @Activate
    public InfluxSinkComponent(Config c) {
        sink = new InfluxSink(new InfluxSettings(c.url(), c.database(), c.user(), c.password(), c.batchSize(),
                Duration.ofMillis(c.flushIntervalMillis()), c.bufferSize(), Duration.ofMillis(c.maxBackoffMillis()),
                c.writers()));
    }

    @Deactivate
    void deactivate() {
        sink.close();
    }

    @Override
    public void write(List<MetricPoint> points) {
        sink.write(points);
    }

    @Override
    public SinkStats stats() {
        return sink.stats();
    }

    @Override
    public String toString() {
        return sink.toString();
    }
}
