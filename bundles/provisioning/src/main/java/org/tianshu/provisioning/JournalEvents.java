package org.tianshu.provisioning;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.event.EventType;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningState;

/**
 * Publishes a provisioning-step event for every journal write, to the publisher present at that moment (if any),
 * and a resource-created (resource-deleted) event for the write that moves a request to ACTIVE (DELETED). The engine
 * reports a transition only once, after its conditional update committed, so a saga resumed after a restart does
 * not announce its workload a second time.
 */
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
            Event resource = resourceEvent(p);
            if (resource != null) {
                events.publish(resource);
            }
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
                attributes, at(p));
    }

    /**
     * The resource event of a write to ACTIVE or DELETED, null for any other state. Subject {@code workload/<request
     * id>}, as the REST audit names a workload; attributes {@code kind}, {@code requestId}, {@code workload} (the name)
     * and {@code externalId} when known.
     */
    static Event resourceEvent(Provisioning p) {
        EventType type = p.state() == ProvisioningState.ACTIVE ? EventType.RESOURCE_CREATED
                : p.state() == ProvisioningState.DELETED ? EventType.RESOURCE_DELETED : null;
        if (type == null) {
            return null;
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put("kind", p.spec().kind().id());
        attributes.put("requestId", p.id());
        attributes.put("workload", p.spec().name());
        if (p.externalId() != null) {
            attributes.put("externalId", p.externalId());
        }
        return new Event(type, "workload/" + p.id(), p.spec().departmentId(), p.cloudId(), attributes, at(p));
    }

    private static Instant at(Provisioning p) {
        return p.updatedAt() != null ? p.updatedAt() : Instant.now();
    }
}
