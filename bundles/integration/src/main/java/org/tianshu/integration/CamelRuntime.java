package org.tianshu.integration;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventBatchListener;
import org.tianshu.api.event.EventPublisher;

/**
 * One Camel context with the {@code tianshu-events} component, usable without OSGi. Under OSGi Camel's classes and
 * its {@code META-INF/services} factories live in this bundle's embedded jars, which the thread context class loader
 * of a framework thread does not see: the bundle's class loader is set as the context's application class loader and
 * as the thread context class loader while Camel starts and routes are added.
 */
public final class CamelRuntime implements EventBatchListener, AutoCloseable {
    /** How long stopping a route waits for the events it is working on. */
    static final int SHUTDOWN_TIMEOUT_SECONDS = 5;

    private final ClassLoader loader;
    private final DefaultCamelContext context;
    private final EventComponent events;

    /** A started context named {@code name}; {@code publisher} receives what routes send to {@code tianshu-events:publish}. */
    public CamelRuntime(String name, EventPublisher publisher) {
        this.loader = CamelRuntime.class.getClassLoader();
        this.events = new EventComponent(publisher);
        this.context = withLoader(() -> {
            DefaultCamelContext c = new DefaultCamelContext();
            c.getCamelContextExtension().setName(name);
            c.setApplicationContextClassLoader(loader);
            c.addComponent(EventComponent.SCHEME, events);
            // a removed webhook route must not hold a configuration change for Camel's default 45 s
            c.getShutdownStrategy().setTimeout(SHUTDOWN_TIMEOUT_SECONDS);
            c.start();
            return c;
        });
    }

    /** Hands the events to every route that consumes their types: batch endpoints in one exchange, others one by one. */
    @Override
    public void onEvents(List<Event> batch) {
        events.onEvents(batch);
    }

    /** Adds and starts the routes; a route that fails to be added is removed again and the error thrown. */
    public void addRoutes(RoutesBuilder routes) {
        withLoader(() -> {
            context.addRoutes(routes);
            return null;
        });
    }

    /** Stops and removes a route; false if there was none. */
    public boolean removeRoute(String routeId) {
        return withLoader(() -> {
            if (context.getRoute(routeId) == null) {
                return false;
            }
            context.getRouteController().stopRoute(routeId);
            return context.removeRoute(routeId);
        });
    }

    /** The routes, in the order they were added. */
    public List<Route> routes() {
        return context.getRoutes();
    }

    /** The state of a route, null if there is none. */
    public ServiceStatus status(String routeId) {
        return context.getRouteController().getRouteStatus(routeId);
    }

    /** The Camel context, for the route loaders of this bundle. */
    CamelContext context() {
        return context;
    }

    @Override
    public void close() {
        withLoader(() -> {
            context.close();
            return null;
        });
    }

    /** Runs {@code work} with this bundle's class loader as the thread context class loader. */
    <T> T withLoader(CamelWork<T> work) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return work.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** Work that may throw Camel's checked exceptions. */
    @FunctionalInterface
    interface CamelWork<T> {
        T run() throws Exception;
    }
}
