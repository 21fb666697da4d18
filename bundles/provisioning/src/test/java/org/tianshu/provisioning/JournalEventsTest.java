package org.tianshu.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.event.EventType;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningState;

class JournalEventsTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    private static Provisioning step(ProvisioningState state, String externalId, String error) {
        return new Provisioning("p1", null, "chengdu-os", WorkloadSpec.vm("web-1", "dept-a", "m1.small", "cirros", "net"),
                new Resources(1000, 512, 1, 0), state, externalId, error, "alice", T, T);
    }

    @Test
    void everyJournalWriteBecomesAProvisioningStepEvent() {
        List<Event> published = new ArrayList<>();
        AtomicReference<EventPublisher> present = new AtomicReference<>(published::add);
        JournalEvents listener = new JournalEvents(present::get);
        listener.journalled(step(ProvisioningState.CREATING, null, null));
        listener.journalled(step(ProvisioningState.ACTIVE, "vm-9", null));
        present.set(null);
        listener.journalled(step(ProvisioningState.DELETING, "vm-9", null));
        // CREATING and ACTIVE, plus the RESOURCE_CREATED of ACTIVE; nothing while no publisher is present
        assertThat(published).extracting(Event::type).containsExactly(EventType.PROVISIONING_STEP,
                EventType.PROVISIONING_STEP, EventType.RESOURCE_CREATED);
        Event active = published.get(1);
        assertThat(active.type()).isEqualTo(EventType.PROVISIONING_STEP);
        assertThat(active.subject()).isEqualTo("provisioning/p1");
        assertThat(active.departmentId()).isEqualTo("dept-a");
        assertThat(active.cloudId()).isEqualTo("chengdu-os");
        assertThat(active.at()).isEqualTo(T);
        assertThat(active.attributes()).containsEntry("state", "ACTIVE").containsEntry("externalId", "vm-9")
                .containsEntry("workload", "web-1").doesNotContainKey("error");
    }

    @Test
    void aFailedStepCarriesItsError() {
        Event e = JournalEvents.toEvent(step(ProvisioningState.FAILED, null, "no valid host"));
        assertThat(e.attributes()).containsEntry("state", "FAILED").containsEntry("error", "no valid host");
    }

    @Test
    void activeAndDeletedWritesAlsoAnnounceTheWorkload() {
        List<Event> published = new ArrayList<>();
        JournalEvents listener = new JournalEvents(() -> published::add);
        for (ProvisioningState state : ProvisioningState.values()) {
            listener.journalled(step(state, "vm-9", null));
        }
        assertThat(published).filteredOn(e -> e.type() == EventType.PROVISIONING_STEP)
                .hasSize(ProvisioningState.values().length);
        List<Event> resources = published.stream().filter(e -> e.type() != EventType.PROVISIONING_STEP).toList();
        assertThat(resources).extracting(Event::type)
                .containsExactly(EventType.RESOURCE_CREATED, EventType.RESOURCE_DELETED);
        Event created = resources.get(0);
        assertThat(created.subject()).isEqualTo("workload/p1");
        assertThat(created.departmentId()).isEqualTo("dept-a");
        assertThat(created.cloudId()).isEqualTo("chengdu-os");
        assertThat(created.at()).isEqualTo(T);
        assertThat(created.attributes()).containsEntry("kind", "vm").containsEntry("requestId", "p1")
                .containsEntry("workload", "web-1").containsEntry("externalId", "vm-9");
    }
}
