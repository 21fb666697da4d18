package org.tianshu.provisioning;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.event.EventType;
import org.tianshu.api.provisioning.Provisioning;

/** Publishes a provisioning-step event for every journal write, to the publisher present at that moment (if any). */
final class JournalEvents implements JournalListener {
    private final Supplier<EventPublisher> publisher;

    JournalEvents(Supplier<EventPublisher> publisher) {
        this.publisher = publisher;
    }

    @Override
    public void journalled(Provisioning p) {
        EventPublisher events = publisher.get();
        if (events != null) {
            events.publish(toEvent(p));
        }
    }

    static Event toEvent(Provisioning p) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("state", p.state().name());
        attributes.put("workload", p.spec().name());
        attributes.put("requestedBy", p.requestedBy());
        if (p.externalId() != null) {
            attributes.put("externalId", p.externalId());
        }
        if (p.error() != null) {
            attributes.put("error", p.error());
        }
        return new Event(EventType.PROVISIONING_STEP, "provisioning/" + p.id(), p.spec().departmentId(), p.cloudId(),
                attributes, p.updatedAt() != null ? p.updatedAt() : java.time.Instant.now());
    }
}
