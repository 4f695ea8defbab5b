package io.rankops.api.schedules;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week, e.g. "0 3 * * MON")
 * or one of @yearly, @monthly, @weekly, @daily, @hourly. Checked here so a typo is a 400 naming
 * the field; Temporal parses the same syntax. The time zone is the schedule's own field, so
 * "CRON_TZ=" prefixes are refused.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = CronExpression.Validator.class)
public @interface CronExpression {

    String message() default "invalid cron expression";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<CronExpression, String> {

        /** "*", "5", "1-5" or "MON-FRI", each optionally followed by a step "/n". */
        private static final Pattern ITEM = Pattern.compile("(\\*|([0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?)(?:/([0-9]+))?");

        private record Field(String name, int min, int max, List<String> names) {
        }

        private static final List<String> MONTHS =
                List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
        private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
        private static final List<Field> FIELDS = List.of(new Field("minute", 0, 59, List.of()),
                new Field("hour", 0, 23, List.of()), new Field("day-of-month", 1, 31, List.of()),
                new Field("month", 1, 12, MONTHS), new Field("day-of-week", 0, 7, DAYS));
        /** Where the first name sits: JAN is month 1, SUN is day 0. */
        private static final Map<String, Integer> FIRST_NAME_VALUE = Map.of("month", 1, "day-of-week", 0);

        @Override
        public boolean isValid(String cron, ConstraintValidatorContext context) {
            if (cron == null) {
                return true; // @NotNull reports it
            }
            String problem = problem(cron.trim());
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem.replace("{", "\\{").replace("$", "\\$"))
                    .addConstraintViolation();
            return false;
        }

        static String problem(String cron) {
            if (CronCadence.MACROS.containsKey(cron)) {
                return null;
            }
            String[] parts = cron.split("\\s+");
            if (parts.length != FIELDS.size()) {
                return "needs five fields (minute hour day-of-month month day-of-week), e.g. \"0 3 * * MON\"";
            }
            for (int i = 0; i < parts.length; i++) {
                Field field = FIELDS.get(i);
                for (String item : parts[i].split(",", -1)) {
                    String problem = itemProblem(field, item);
                    if (problem != null) {
                        return field.name() + " '" + parts[i] + "': " + problem;
                    }
                }
            }
            return null;
        }

        private static String itemProblem(Field field, String item) {
            Matcher m = ITEM.matcher(item);
            if (!m.matches()) {
                return "expected *, a value, a range a-b or a step x/n";
            }
            if (m.group(4) != null && Integer.parseInt(m.group(4)) < 1) {
                return "a step must be at least 1";
            }
            if (m.group(2) == null) {
                return null; // "*"
            }
            Integer from = value(field, m.group(2));
            Integer to = m.group(3) == null ? from : value(field, m.group(3));
            if (from == null || to == null) {
                return "values run from " + field.min() + " to " + field.max()
                        + (field.names().isEmpty() ? "" : " or " + field.names().get(0) + ".." + field.names().get(field.names().size() - 1));
            }
            return from > to ? "a range must run forward" : null;
        }

        private static Integer value(Field field, String text) {
            if (text.chars().allMatch(Character::isDigit)) {
                if (text.length() > 2) {
                    return null;
                }
                int value = Integer.parseInt(text);
                return value >= field.min() && value <= field.max() ? value : null;
            }
            int index = field.names().indexOf(text.toUpperCase());
            return index < 0 ? null : index + FIRST_NAME_VALUE.get(field.name());
        }
    }
}
