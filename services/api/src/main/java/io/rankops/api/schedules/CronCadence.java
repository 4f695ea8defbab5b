package io.rankops.api.schedules;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * When a cron fires, for the limits on schedules: the shortest gap between two runs (a per-minute
 * cron would start a training run every minute) and how many runs a backfill range holds. Uses
 * cron-utils (which Quarkus' scheduler already brings) on the syntax {@link CronExpression} checked.
 */
final class CronCadence {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@hourly", "0 * * * *");
    /** Gaps are looked for over a year, which covers every pattern a five-field cron can express. */
    private static final Duration HORIZON = Duration.ofDays(366);

    private final ExecutionTime times;
    private final ZoneId zone;

    CronCadence(String cron, ZoneId zone) {
        String expression = MACROS.getOrDefault(cron.trim(), cron.trim());
        this.times = ExecutionTime.forCron(UNIX.parse(expression));
        this.zone = zone;
    }

    /** The first gap shorter than {@code minimum} between consecutive runs within a year, if any. */
    Optional<Duration> gapShorterThan(Duration minimum, ZonedDateTime from) {
        ZonedDateTime end = from.plus(HORIZON);
        Optional<ZonedDateTime> previous = times.nextExecution(from.withZoneSameInstant(zone));
        while (previous.isPresent() && previous.get().isBefore(end)) {
            Optional<ZonedDateTime> next = times.nextExecution(previous.get());
            if (next.isEmpty()) {
                return Optional.empty();
            }
            Duration gap = Duration.between(previous.get(), next.get());
            if (gap.compareTo(minimum) < 0) {
                return Optional.of(gap);
            }
            previous = next;
        }
        return Optional.empty();
    }

    /** Runs in [from, to), counting no further than {@code stopAt} (enough to refuse). */
    int runsBetween(ZonedDateTime from, ZonedDateTime to, int stopAt) {
        int count = 0;
        // nextExecution is strictly after its argument: start a moment before, so a run at "from" counts.
        Optional<ZonedDateTime> next = times.nextExecution(from.withZoneSameInstant(zone).minusNanos(1));
        while (next.isPresent() && next.get().isBefore(to) && count < stopAt) {
            count++;
            next = times.nextExecution(next.get());
        }
        return count;
    }
}
