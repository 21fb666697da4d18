package org.tianshu.integration;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventBatchListener;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.event.EventType;

/**
 * The bridge between Tianshu's event bus and Camel, scheme {@code tianshu-events}. As a consumer,
 * {@code tianshu-events:name?types=LINK_DOWN,LINK_UP} receives every event of those types (all types without
 * {@code types}), body {@link Event}, headers {@value #TYPE}, {@value #SUBJECT}, {@value #CLOUD}, {@value #DEPARTMENT};
 * with {@code batch=true} one exchange per batch the bus delivers, body a {@code List<Event>} of the accepted events in
 * publication order, header {@value #COUNT} (a route that needs single events splits the body). As a producer,
 * {@code tianshu-events:publish} publishes the {@link Event} in the body. The component is the
 * {@link EventBatchListener} the bus delivers to.
 */
public final class EventComponent extends DefaultComponent implements EventBatchListener {
    /** Scheme of the endpoints. */
    public static final String SCHEME = "tianshu-events";
    /** Header: the event type's name. */
    public static final String TYPE = "TianshuEventType";
    /** Header: the event's subject. */
    public static final String SUBJECT = "TianshuSubject";
    /** Header: the event's cloud, if any. */
    public static final String CLOUD = "TianshuCloud";
    /** Header: the event's department, if any. */
    public static final String DEPARTMENT = "TianshuDepartment";
    /** Header of a batch exchange: how many events its body holds. */
    public static final String COUNT = "TianshuEventCount";

    private final List<EventConsumer> consumers = new CopyOnWriteArrayList<>();
    private final EventPublisher publisher;

    /** {@code publisher} receives what producers send; null where nothing is published (tests of consumers). */
    public EventComponent(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** The bus keeps no reference to {@code events} and never changes it, so a batch exchange may hold it as is. */
    @Override
    public void onEvents(List<Event> events) {
        for (EventConsumer c : consumers) {
            EventEndpoint endpoint = c.endpoint();
            if (endpoint.batch) {
                List<Event> accepted = endpoint.acceptsAll() ? events : accepted(endpoint, events);
                if (!accepted.isEmpty()) {
                    c.deliver(accepted);
                }
                continue;
            }
            for (Event e : events) {
                if (endpoint.accepts(e.type())) {
                    c.deliver(e);
                }
            }
        }
    }

    private static List<Event> accepted(EventEndpoint endpoint, List<Event> events) {
        List<Event> out = new ArrayList<>(events.size());
        for (Event e : events) {
            if (endpoint.accepts(e.type())) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        Object types = parameters.remove("types");
        Object batch = parameters.remove("batch");
        if (batch != null && !batch.toString().equals("true") && !batch.toString().equals("false")) {
            throw new IllegalArgumentException("batch: true or false, got '" + batch + "'");
        }
        return new EventEndpoint(uri, this, types == null ? EnumSet.allOf(EventType.class) : parse(types.toString()),
                batch != null && batch.toString().equals("true"));
    }

    private static Set<EventType> parse(String types) {
        EnumSet<EventType> set = EnumSet.noneOf(EventType.class);
        for (String t : types.split(",")) {
            String name = t.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            try {
                set.add(EventType.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("types: unknown event type '" + t.trim() + "', known: "
                        + List.of(EventType.values()), e);
            }
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("types: at least one event type is required when types is given");
        }
        return set;
    }

    static final class EventEndpoint extends DefaultEndpoint {
        private final Set<EventType> types;
        private final boolean all;
        final boolean batch;

        EventEndpoint(String uri, EventComponent component, Set<EventType> types, boolean batch) {
            super(uri, component);
            this.types = types;
            this.all = types.size() == EventType.values().length;
            this.batch = batch;
        }

        boolean accepts(EventType type) {
            return types.contains(type);
        }

        boolean acceptsAll() {
            return all;
        }

        @Override
        public EventComponent getComponent() {
            return (EventComponent) super.getComponent();
        }

        @Override
        public Producer createProducer() {
            EventPublisher publisher = getComponent().publisher;
            if (publisher == null) {
                throw new IllegalStateException(getEndpointUri() + ": no event publisher to send to");
            }
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) throws Exception {
                    publisher.publish(exchange.getMessage().getMandatoryBody(Event.class));
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            EventConsumer consumer = new EventConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
    }

    static final class EventConsumer extends DefaultConsumer {
        EventConsumer(EventEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        EventEndpoint endpoint() {
            return (EventEndpoint) getEndpoint();
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            endpoint().getComponent().consumers.add(this);
        }

        @Override
        protected void doStop() throws Exception {
            endpoint().getComponent().consumers.remove(this);
            super.doStop();
        }

        /** Runs the route on the caller's thread; asynchronous parts of the route (delayed redelivery) continue elsewhere. */
        void deliver(Event event) {
            Exchange exchange = createExchange(false);
            exchange.getMessage().setBody(event);
            exchange.getMessage().setHeader(TYPE, event.type().name());
            exchange.getMessage().setHeader(SUBJECT, event.subject());
            exchange.getMessage().setHeader(CLOUD, event.cloudId());
            exchange.getMessage().setHeader(DEPARTMENT, event.departmentId());
            getAsyncProcessor().process(exchange, doneSync -> {
                if (exchange.getException() != null) {
                    getExceptionHandler().handleException("route failed on " + event.type() + " " + event.subject(),
                            exchange, exchange.getException());
                }
                releaseExchange(exchange, false);
            });
        }

        /** One exchange for a batch, body the events in publication order. */
        void deliver(List<Event> events) {
            Exchange exchange = createExchange(false);
            exchange.getMessage().setBody(events);
            exchange.getMessage().setHeader(COUNT, events.size());
            getAsyncProcessor().process(exchange, doneSync -> {
                if (exchange.getException() != null) {
                    getExceptionHandler().handleException("route failed on a batch of " + events.size()
                            + " events from " + events.get(0).type() + " " + events.get(0).subject(), exchange,
                            exchange.getException());
                }
                releaseExchange(exchange, false);
            });
        }
    }
}
