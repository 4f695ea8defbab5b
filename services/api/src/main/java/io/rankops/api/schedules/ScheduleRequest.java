package io.rankops.api.schedules;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A retraining schedule: when ({@code cron} in {@code timezone}), on how many days of data
 * ({@code windowDays}, ending the day before each run) and with which run parameters ({@code run}).
 *
 * @param paused create the schedule paused (it fires only when triggered or backfilled)
 */
public record ScheduleRequest(
        @NotNull @Pattern(regexp = ScheduleRequest.ID_PATTERN,
                message = "1 to 48 lowercase letters, digits and '-', starting and ending with a letter or digit")
        String id,
        @Size(max = 500) String description,
        @NotNull @CronExpression String cron,
        @KnownTimeZone String timezone,
        // The bounds of a run's window (runs/RunDefaults MIN_WINDOW_DAYS, MAX_WINDOW_DAYS).
        @NotNull @Min(3) @Max(90) Integer windowDays,
        Boolean paused,
        @NotNull RunTemplate run) {

    static final String ID_PATTERN = "[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?";
    static final String DEFAULT_TIMEZONE = "UTC";

    String timezoneOrDefault() {
        return timezone == null ? DEFAULT_TIMEZONE : timezone;
    }
}
