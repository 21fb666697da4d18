package org.tianshu.events;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventListener;
import org.tianshu.api.event.EventPublisher;

/** The event bus in the runtime (PID {@code org.tianshu.events}), delivering to every {@link EventListener} service. */
@Component(service = EventPublisher.class, configurationPid = "org.tianshu.events", immediate = true)
@Designate(ocd = EventBusComponent.Config.class)
public class EventBusComponent implements EventPublisher {

    @ObjectClassDefinition(name = "Tianshu event bus", description = "Queue of events waiting for delivery")
    public @interface Config {
        @AttributeDefinition(description = "Events waiting for delivery; a new event that does not fit is dropped and counted", min = "1")
        int queueCapacity() default 10000;

        @AttributeDefinition(description = "Most events handed to a batch listener (Camel, metrics) in one call", min = "1")
        int maxBatch() default EventBus.DEFAULT_MAX_BATCH;
    }

    private final EventBus bus;

    @Activate
    public EventBusComponent(Config config) {
        bus = new EventBus(config.queueCapacity(), config.maxBatch());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(EventListener listener) {
        bus.addListener(listener);
    }

    void removeListener(EventListener listener) {
        bus.removeListener(listener);
    }

    @Deactivate
    void deactivate() {
        bus.close();
    }

    @Override
    public void publish(Event event) {
        bus.publish(event);
    }
}
