package org.tianshu.metrics;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventBatchListener;
import org.tianshu.api.event.EventListener;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.metrics.MetricsRecorder;
import org.tianshu.api.metrics.MetricsSink;
import org.tianshu.api.metrics.SinkStats;

/**
 * Metrics in the runtime (PID {@code org.tianshu.metrics}): listens to every event, samples capacity, records what other
 * bundles measure through {@link MetricsRecorder}, feeds every sink.
 */
@Component(service = {EventListener.class, MetricsView.class, MetricsRecorder.class}, configurationPid = "org.tianshu.metrics", immediate = true)
@Designate(ocd = MetricsComponent.Config.class)
public class MetricsComponent implements EventBatchListener, MetricsView, MetricsRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsComponent.class);

    @ObjectClassDefinition(name = "Tianshu metrics", description = "Sampling of capacity into metric points")
    public @interface Config {
        @AttributeDefinition(description = "Seconds between samples of every cloud's capacity; 0 turns sampling off", min = "0")
        int sampleIntervalSeconds() default 30;
    }

    private final MetricsHub hub = new MetricsHub();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "tianshu-metrics-sampler"));

    @Activate
    public MetricsComponent(@Reference InventoryService inventory, @Reference CloudService clouds, Config config) {
        if (config.sampleIntervalSeconds() < 0) {
            throw new IllegalArgumentException("org.tianshu.metrics: sampleIntervalSeconds must be 0 or more, got "
                    + config.sampleIntervalSeconds());
        }
        CapacitySampler sampler = new CapacitySampler(inventory, clouds, Clock.systemUTC());
        if (config.sampleIntervalSeconds() > 0) {
            timer.scheduleWithFixedDelay(() -> {
                try {
                    hub.record(sampler.sample());
                } catch (RuntimeException e) {
                    LOG.warn("capacity sample failed", e);
                }
            }, 1, config.sampleIntervalSeconds(), TimeUnit.SECONDS);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSink(MetricsSink sink) {
        hub.addSink(sink);
    }

    void removeSink(MetricsSink sink) {
        hub.removeSink(sink);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    @Override
    public void onEvents(List<Event> events) {
        hub.onEvents(events);
    }

    @Override
    public void record(List<MetricPoint> points) {
        hub.record(points);
    }

    @Override
    public List<MetricPoint> latest() {
        return hub.latest();
    }

    @Override
    public Map<String, Long> eventCounts() {
        return hub.eventCounts();
    }

    @Override
    public Map<String, SinkStats> sinks() {
        return hub.sinks();
    }
}
