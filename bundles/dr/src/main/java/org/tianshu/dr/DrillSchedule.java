package org.tianshu.dr;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.dr.DrAdminService;
import org.tianshu.api.dr.DrOperation;

/**
 * Regular drills: each entry {@code plan=schedule} starts a drill of the plan as {@link #CALLER}, where the
 * schedule is a cron expression ({@link Cron}, in the clock's zone) or an ISO-8601 interval ({@code P7D},
 * {@code PT24H}) counted from when the runtime started. The runs form the plan's history like any other;
 * those the schedule started are requested by {@link #CALLER}.
 */
final class DrillSchedule {
    private static final Logger LOG = LoggerFactory.getLogger(DrillSchedule.class);

    /** Who scheduled drills are started by. */
    static final Caller CALLER = new Caller("drill-schedule", Set.of(Caller.ADMIN));

    /** One scheduled plan: every {@code every} from the start, or at the times of {@code cron}. */
    record Entry(String planId, String schedule, Duration every, Cron cron) {
        /** The first start strictly after {@code after}, null if none is left; intervals count from {@code origin}. */
        Instant next(Instant origin, Instant after, Clock clock) {
            if (cron != null) {
                return cron.next(after, clock.getZone());
            }
            long n = Math.max(0, Duration.between(origin, after).toMillis() / every.toMillis()) + 1;
            return origin.plus(every.multipliedBy(n));
        }
    }

    private final List<Entry> entries;
    private final Clock clock;
    private final Instant origin;

    DrillSchedule(List<Entry> entries, Clock clock) {
        this.entries = List.copyOf(entries);
        this.clock = clock;
        this.origin = clock.instant();
    }

    List<Entry> entries() {
        return entries;
    }

    /** The next {@code n} starts of {@code e} from now. */
    List<Instant> next(Entry e, int n) {
        List<Instant> times = new ArrayList<>();
        Instant t = clock.instant();
        while (times.size() < n && (t = e.next(origin, t, clock)) != null) {
            times.add(t);
        }
        return times;
    }

    /** Parses {@code plan=schedule} entries; INVALID naming {@code key} otherwise. */
    static List<Entry> parse(String key, String[] entries) {
        List<Entry> parsed = new ArrayList<>();
        for (String e : entries == null ? new String[0] : entries) {
            if (e == null || e.isBlank()) {
                continue;
            }
            String[] p = e.split("=", 2);
            if (p.length < 2 || p[1].isBlank()) {
                throw TianshuException.invalid(key, key + " entries must be plan=cron expression or plan=ISO-8601"
                        + " duration (e.g. portal-plan=0 2 * * SUN or portal-plan=P7D), got '" + e + "'");
            }
            String plan = Validation.id(key, p[0].trim());
            String schedule = p[1].trim();
            if (schedule.startsWith("P") || schedule.startsWith("p")) {
                parsed.add(new Entry(plan, schedule, interval(key, e, schedule), null));
            } else {
                parsed.add(new Entry(plan, schedule, null, Cron.parse(key, schedule)));
            }
        }
        return parsed;
    }

    private static Duration interval(String key, String entry, String text) {
        try {
            Duration every = Duration.parse(text);
            if (every.compareTo(Duration.ofMinutes(1)) >= 0) {
                return every;
            }
        } catch (DateTimeParseException x) {
            // reported below
        }
        throw TianshuException.invalid(key, key + " intervals must be ISO-8601 durations of a minute or more"
                + " (e.g. portal-plan=P7D), got '" + entry + "'");
    }

    /** Schedules every entry on {@code executor}, each start planned when the previous one is due. */
    void start(ScheduledExecutorService executor, DrAdminService dr) {
        entries.forEach(e -> plan(executor, dr, e, clock.instant()));
    }

    private void plan(ScheduledExecutorService executor, DrAdminService dr, Entry e, Instant after) {
        Instant at = e.next(origin, after, clock);
        if (at == null) {
            LOG.info("drill schedule of plan {} ('{}') has no further start", e.planId(), e.schedule());
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        executor.schedule(() -> {
            try {
                tick(dr, e.planId());
            } finally {
                plan(executor, dr, e, at);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Starts one scheduled drill; a refusal (plan gone, group busy) is logged and the next start tries again. */
    static void tick(DrAdminService dr, String planId) {
        try {
            String run = dr.start(planId, DrOperation.DRILL, false, CALLER).id();
            LOG.info("scheduled drill of plan {} started: run {}", planId, run);
        } catch (TianshuException e) {
            LOG.warn("scheduled drill of plan {} not started: {}", planId, e.getMessage());
        }
    }
}
