package io.rankops.api.schedules;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A backfill runs forward and covers at most MAX_DAYS days. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = BackfillRange.Validator.class)
public @interface BackfillRange {

    /** A year, leap day included: a weekly schedule's backfill starts at most 53 runs. */
    int MAX_DAYS = 366;

    String message() default "invalid backfill range";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<BackfillRange, CommandRequests.Backfill> {

        @Override
        public boolean isValid(CommandRequests.Backfill range, ConstraintValidatorContext context) {
            if (range == null || range.start() == null || range.end() == null) {
                return true; // @NotNull on the fields reports those
            }
            long days = range.end().toEpochDay() - range.start().toEpochDay() + 1;
            String problem = days < 1 ? "must not be before start (" + range.start() + ")"
                    : days > MAX_DAYS ? "the range spans " + days + " days; at most " + MAX_DAYS + " are allowed" : null;
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addPropertyNode("end").addConstraintViolation();
            return false;
        }
    }
}
