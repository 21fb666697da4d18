package org.tianshu.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tianshu.integration.Eventually.await;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.events.EventBus;

/** The bridge on a real Camel context fed by the real event bus: single-event and batch endpoints. */
class EventComponentTest {
    private final EventBus bus = new EventBus(1000, 5);
    private final CamelRuntime camel = new CamelRuntime("test", bus);

    @AfterEach
    void stop() {
        bus.close();
        camel.close();
    }

    private static Event event(EventType type, int i) {
        return Event.now(type, "workload/w" + i, "dept-a", "c1", Map.of());
    }

    @Test
    void aBatchEndpointGetsOneExchangePerBatchWithTheAcceptedEventsInOrder() throws Exception {
        List<List<Event>> batches = new CopyOnWriteArrayList<>();
        List<Integer> counts = new CopyOnWriteArrayList<>();
        List<Event> singles = new CopyOnWriteArrayList<>();
        List<Event> split = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("tianshu-events:batched?batch=true&types=RESOURCE_CREATED").process(x -> {
                    @SuppressWarnings("unchecked")
                    List<Event> body = x.getMessage().getBody(List.class);
                    batches.add(body);
                    counts.add(x.getMessage().getHeader(EventComponent.COUNT, Integer.class));
                });
                from("tianshu-events:single?types=RESOURCE_CREATED")
                        .process(x -> singles.add(x.getMessage().getBody(Event.class)));
                from("tianshu-events:split?batch=true&types=RESOURCE_CREATED").split(body())
                        .process(x -> split.add(x.getMessage().getBody(Event.class)));
            }
        });
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // holds the delivery thread on the first event, so the next ones wait in the queue and leave in batches
        bus.addListener(e -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
        bus.addListener(camel);
        bus.publish(event(EventType.CLOUD_SYNCED, 0));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 12; i++) {
            bus.publish(event(i % 3 == 0 ? EventType.CLOUD_SYNCED : EventType.RESOURCE_CREATED, i));
        }
        release.countDown();
        List<String> expected = List.of("workload/w1", "workload/w2", "workload/w4", "workload/w5", "workload/w7",
                "workload/w8", "workload/w10", "workload/w11");
        await(() -> assertThat(singles).extracting(Event::subject).containsExactlyElementsOf(expected));
        await(() -> assertThat(split).extracting(Event::subject).containsExactlyElementsOf(expected));
        // batches of 5 drained from the queue ([1..5], [6..10], [11, 12]) less the CLOUD_SYNCED events
        assertThat(batches).extracting(b -> b.stream().map(Event::subject).toList()).containsExactly(
                List.of("workload/w1", "workload/w2", "workload/w4", "workload/w5"),
                List.of("workload/w7", "workload/w8", "workload/w10"), List.of("workload/w11"));
        assertThat(counts).containsExactly(4, 3, 1);
        assertThat(bus.stats().delivered()).isEqualTo(13);
    }

    @Test
    void aBatchWithNoAcceptedEventMakesNoExchange() throws Exception {
        List<Object> bodies = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("tianshu-events:links?batch=true&types=LINK_DOWN").process(x -> bodies.add(x.getMessage().getBody()));
            }
        });
        bus.addListener(camel);
        bus.publish(event(EventType.RESOURCE_CREATED, 1));
        bus.publish(Event.now(EventType.LINK_DOWN, "link/a-b", null, null, Map.of("link", "a-b")));
        await(() -> assertThat(bodies).hasSize(1));
        bus.publish(event(EventType.RESOURCE_CREATED, 2));
        await(() -> assertThat(bus.stats().delivered()).isEqualTo(3));
        assertThat(bodies).singleElement().asList().extracting(e -> ((Event) e).subject()).containsExactly("link/a-b");
    }

    @Test
    void aBadBatchOptionIsRefusedNamingIt() {
        assertThatThrownBy(() -> camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("tianshu-events:x?batch=yes").log("never");
            }
        })).hasStackTraceContaining("batch: true or false, got 'yes'");
    }
}
