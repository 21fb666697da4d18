package org.tianshu.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.tianshu.api.TianshuException;
import org.tianshu.api.integration.Alarm;
import org.tianshu.api.integration.AlarmState;
import org.tianshu.api.integration.RecommendationState;

/**
 * {@code /alarms}, {@code /recommendations} and {@code /dead-letters}: what the integration routes leave for operators.
 * Approving or rejecting a recommendation only records the decision; nothing fails over or moves from here. A runtime
 * without the integration feature answers 409 naming it.
 */
final class IntegrationResource {
    /** Optional body of {@code POST /recommendations/{id}/approve} and {@code .../reject}. */
    record DecisionBody(String note) {
    }

    /** Answer of {@code POST /dead-letters/{id}/replay}. */
    record ReplayResult(long id, boolean delivered) {
    }

    private final Services s;

    IntegrationResource(Services services) {
        this.s = services;
    }

    private static <T> T installed(T service) {
        if (service == null) {
            throw TianshuException.conflict(null, "integration is not installed (feature tianshu-integration)");
        }
        return service;
    }

    void routes(Router r) {
        r.get("/alarms", x -> {
            AlarmState state = state("state", AlarmState.class, x.query("state"));
            List<Alarm> alarms = installed(s.alarms()).list(state == AlarmState.OPEN || state == AlarmState.ACKNOWLEDGED,
                    x.caller());
            return Reply.ok(state == null ? alarms : alarms.stream().filter(a -> a.state() == state).toList());
        });
        r.mutate("POST", "/alarms/{id}/ack", "alarm.acknowledge", x -> {
            x.target("alarm/" + x.path("id"));
            return Reply.ok(installed(s.alarms()).acknowledge(id(x), x.caller()));
        });
        r.get("/recommendations", x -> Reply.ok(installed(s.recommendations())
                .list(state("state", RecommendationState.class, x.query("state")), x.caller())));
        r.mutate("POST", "/recommendations/{id}/approve", "recommendation.approve", x -> {
            x.target("recommendation/" + x.path("id"));
            long id = id(x);
            return Reply.ok(installed(s.recommendations()).approve(id, note(x), x.caller()));
        });
        r.mutate("POST", "/recommendations/{id}/reject", "recommendation.reject", x -> {
            x.target("recommendation/" + x.path("id"));
            long id = id(x);
            return Reply.ok(installed(s.recommendations()).reject(id, note(x), x.caller()));
        });
        r.get("/dead-letters", x -> Reply.ok(installed(s.webhooks()).deadLetters(x.caller())));
        r.mutate("POST", "/dead-letters/{id}/replay", "dead-letter.replay", x -> {
            x.target("dead-letter/" + x.path("id"));
            long id = id(x);
            return Reply.ok(new ReplayResult(id, installed(s.webhooks()).replay(id, x.caller())));
        });
    }

    private static long id(Exchange x) {
        String v = x.path("id");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw TianshuException.invalid("id", "id must be a number, got '" + v + "'");
        }
    }

    private static String note(Exchange x) throws IOException {
        String text = x.text("application/json");
        return text.isBlank() ? null : Json.read(text.getBytes(StandardCharsets.UTF_8),
                DecisionBody.class).note();
    }

    private static <E extends Enum<E>> E state(String field, Class<E> type, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw TianshuException.invalid(field, field + " must be one of " + List.of(type.getEnumConstants())
                    + ", got '" + value + "'");
        }
    }
}
