package io.rankops.api.schedules;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.rankops.api.errors.ApiError;
import io.rankops.api.errors.ApiException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a cron fires, for the limits on schedules: the shortest gap between two runs (a per-minute
 * cron would start a training run every minute) and how many runs a backfill range holds. Uses
 * cron-utils (which Quarkus' scheduler already brings) on the syntax {@link CronExpression} checked.
 */
final class CronCadence {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** The macros schedules accept (CronExpression checks against these), as five-field crons. */
    static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@hourly", "0 * * * *");
    /** Gaps are looked for over a year, which covers every pattern a five-field cron can express. */
    private static final Duration HORIZON = Duration.ofDays(366);

    private final ExecutionTime times;
    private final ZoneId zone;

    /** Throws IllegalArgumentException (with cron-utils' reason) for a cron it cannot evaluate. */
    CronCadence(String cron, ZoneId zone) {
        String expression = MACROS.getOrDefault(cron.trim(), cron.trim());
        this.times = ExecutionTime.forCron(UNIX.parse(expression));
        this.zone = zone;
    }

    /** The cadence of a schedule's cron, or a 400 naming the field when it cannot be evaluated. */
    static CronCadence of(String cron, ZoneId zone) {
        try {
            return new CronCadence(cron, zone);
        } catch (IllegalArgumentException unusable) {
            throw new ApiException(400, "invalid request", "invalid cron expression",
                    List.of(new ApiError.Violation("cron", String.valueOf(unusable.getMessage()))));
        }
    }

    /**
     * The first gap shorter than {@code minimum} between consecutive runs within a year, if any.
     * An hour of slack: a daylight-saving change shortens one gap a year ("every 6 h" in Amsterdam).
     */
    Optional<Duration> gapShorterThan(Duration minimum, ZonedDateTime from) {
        ZonedDateTime end = from.plus(HORIZON);
        Optional<ZonedDateTime> previous = times.nextExecution(from.withZoneSameInstant(zone));
        while (previous.isPresent() && previous.get().isBefore(end)) {
            Optional<ZonedDateTime> next = times.nextExecution(previous.get());
            if (next.isEmpty()) {
                return Optional.empty();
            }
            Duration gap = Duration.between(previous.get(), next.get());
            if (gap.plusHours(1).compareTo(minimum) < 0) {
                return Optional.of(gap);
            }
            previous = next;
        }
        return Optional.empty();
    }

    /**
     * Runs in (from, to], as Temporal's backfill takes its range (start exclusive, end inclusive),
     * counting no further than {@code stopAt} (enough to refuse).
     */
    int runsBetween(ZonedDateTime from, ZonedDateTime to, int stopAt) {
        int count = 0;
        Optional<ZonedDateTime> next = times.nextExecution(from.withZoneSameInstant(zone));
        while (next.isPresent() && !next.get().isAfter(to) && count < stopAt) {
            count++;
            next = times.nextExecution(next.get());
        }
        return count;
    }
}
