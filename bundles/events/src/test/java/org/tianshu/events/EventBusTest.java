package org.tianshu.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventBatchListener;
import org.tianshu.api.event.EventType;

class EventBusTest {

    private static Event event(int i) {
        return Event.now(EventType.RESOURCE_CREATED, "workload/w" + i, "dept-a", "c1", Map.of("n", "" + i));
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 5 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void deliversEveryEventInOrderToEveryListener() throws Exception {
        List<Event> a = new CopyOnWriteArrayList<>();
        List<Event> b = new CopyOnWriteArrayList<>();
        try (EventBus bus = new EventBus(100)) {
            bus.addListener(a::add);
            bus.addListener(b::add);
            for (int i = 0; i < 50; i++) {
                bus.publish(event(i));
            }
            await(() -> b.size() == 50);
            assertThat(a).extracting(Event::subject).startsWith("workload/w0", "workload/w1").endsWith("workload/w49");
            assertThat(a).containsExactlyElementsOf(b);
            assertThat(bus.stats().published()).isEqualTo(50);
            assertThat(bus.stats().delivered()).isEqualTo(50);
            assertThat(bus.stats().dropped()).isZero();
        }
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() throws Exception {
        List<Event> good = new CopyOnWriteArrayList<>();
        try (EventBus bus = new EventBus(100)) {
            bus.addListener(e -> {
                throw new IllegalStateException("listener broken on purpose");
            });
            bus.addListener(good::add);
            bus.publish(event(1));
            bus.publish(event(2));
            await(() -> good.size() == 2);
            assertThat(bus.stats().listenerFailures()).isEqualTo(2);
            assertThat(bus.stats().delivered()).isEqualTo(2);
        }
    }

    @Test
    void aFullQueueDropsNewEventsAndCountsThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstTaken = new CountDownLatch(1);
        List<Event> seen = new CopyOnWriteArrayList<>();
        try (EventBus bus = new EventBus(3)) {
            bus.addListener(e -> {
                firstTaken.countDown();
                try {
                    release.await();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                seen.add(e);
            });
            bus.publish(event(0));
            assertThat(firstTaken.await(5, TimeUnit.SECONDS)).isTrue();
            // the listener holds event 0; the queue takes 3 more, the next 2 are dropped
            for (int i = 1; i <= 5; i++) {
                bus.publish(event(i));
            }
            assertThat(bus.stats().dropped()).isEqualTo(2);
            assertThat(bus.stats().queued()).isEqualTo(3);
            release.countDown();
            await(() -> seen.size() == 4);
            assertThat(seen).extracting(Event::subject)
                    .containsExactly("workload/w0", "workload/w1", "workload/w2", "workload/w3");
            assertThat(bus.stats().published()).isEqualTo(4);
        }
    }

    @Test
    void aRemovedListenerGetsNothingMore() throws Exception {
        List<Event> kept = new CopyOnWriteArrayList<>();
        List<Event> removed = new CopyOnWriteArrayList<>();
        try (EventBus bus = new EventBus(10)) {
            bus.addListener(kept::add);
            org.tianshu.api.event.EventListener r = removed::add;
            bus.addListener(r);
            bus.removeListener(r);
            bus.publish(event(1));
            await(() -> kept.size() == 1);
            assertThat(removed).isEmpty();
        }
    }

    @Test
    void aBatchListenerGetsWhatWaitedInOneCallInOrderAndOthersEventByEvent() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<Event>> batches = new CopyOnWriteArrayList<>();
        List<Event> single = new CopyOnWriteArrayList<>();
        try (EventBus bus = new EventBus(100, 4)) {
            bus.addListener((EventBatchListener) events -> {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                batches.add(events);
            });
            bus.addListener(single::add);
            bus.publish(event(0));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            // event 0 is being delivered; 1..9 wait and leave in batches of at most 4
            for (int i = 1; i < 10; i++) {
                bus.publish(event(i));
            }
            release.countDown();
            await(() -> single.size() == 10);
            assertThat(batches).extracting(List::size).containsExactly(1, 4, 4, 1);
            assertThat(batches.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(single);
            assertThat(single).extracting(Event::subject).startsWith("workload/w0", "workload/w1")
                    .endsWith("workload/w9");
            assertThat(bus.stats().delivered()).isEqualTo(10);
            assertThat(bus.stats().published()).isEqualTo(10);
        }
    }

    @Test
    void aFailedBatchIsCountedOnceAndEveryOtherListenerStillGetsEachEvent() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Event> good = new CopyOnWriteArrayList<>();
        try (EventBus bus = new EventBus(100)) {
            bus.addListener((EventBatchListener) events -> {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("batch listener broken on purpose");
            });
            bus.addListener(e -> {
                if (e.subject().equals("workload/w2")) {
                    throw new IllegalStateException("single listener broken on purpose");
                }
            });
            bus.addListener(good::add);
            bus.publish(event(0));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < 4; i++) {
                bus.publish(event(i));
            }
            release.countDown();
            await(() -> good.size() == 4);
            // batch [0] and batch [1, 2, 3] failed once each; the single listener failed on event 2 only
            assertThat(bus.stats().listenerFailures()).isEqualTo(3);
            assertThat(good).extracting(Event::subject)
                    .containsExactly("workload/w0", "workload/w1", "workload/w2", "workload/w3");
        }
    }

    @Test
    void aBatchSizeBelowOneIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EventBus(10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatch");
    }
}
