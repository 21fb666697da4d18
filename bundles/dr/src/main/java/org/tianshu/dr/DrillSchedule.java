package org.tianshu.dr;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
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
 * Regular drills: each entry {@code plan=interval} (an ISO-8601 duration such as {@code P7D} or {@code PT24H})
 * starts a drill of the plan every interval, as the runtime itself; the runs form the plan's history like any other.
 */
final class DrillSchedule {
    private static final Logger LOG = LoggerFactory.getLogger(DrillSchedule.class);

    /** One scheduled plan. */
    record Entry(String planId, Duration every) {
    }

    private DrillSchedule() {
    }

    /** Parses {@code plan=duration} entries; INVALID naming {@code key} otherwise. */
    static List<Entry> parse(String key, String[] entries) {
        List<Entry> parsed = new ArrayList<>();
        for (String e : entries == null ? new String[0] : entries) {
            if (e == null || e.isBlank()) {
                continue;
            }
            String[] p = e.split("=", 2);
            try {
                Duration every = Duration.parse(p[1].trim());
                if (every.compareTo(Duration.ofMinutes(1)) < 0) {
                    throw new DateTimeParseException("under a minute", p[1], 0);
                }
                parsed.add(new Entry(Validation.id(key, p[0].trim()), every));
            } catch (RuntimeException x) {
                throw TianshuException.invalid(key, key + " entries must be plan=ISO-8601 duration of a minute or more"
                        + " (e.g. portal-plan=P7D), got '" + e + "'");
            }
        }
        return parsed;
    }

    /** Schedules every entry on {@code executor}. */
    static void start(ScheduledExecutorService executor, List<Entry> entries, DrAdminService dr) {
        for (Entry e : entries) {
            long ms = e.every().toMillis();
            executor.scheduleAtFixedRate(() -> tick(dr, e.planId()), ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Starts one scheduled drill; a refusal (plan gone, group busy) is logged and the next interval tries again. */
    static void tick(DrAdminService dr, String planId) {
        try {
            String run = dr.start(planId, DrOperation.DRILL, false, Caller.SYSTEM).id();
            LOG.info("scheduled drill of plan {} started: run {}", planId, run);
        } catch (TianshuException e) {
            LOG.warn("scheduled drill of plan {} not started: {}", planId, e.getMessage());
        }
    }
}
