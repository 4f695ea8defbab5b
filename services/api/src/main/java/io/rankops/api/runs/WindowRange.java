package io.rankops.api.runs;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A data window runs forward and spans between MIN_WINDOW_DAYS and MAX_WINDOW_DAYS days. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = WindowRange.Validator.class)
public @interface WindowRange {

    String message() default "invalid window";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<WindowRange, RunRequest.Window> {

        @Override
        public boolean isValid(RunRequest.Window window, ConstraintValidatorContext context) {
            if (window == null || window.start() == null || window.end() == null) {
                return true; // @NotNull on the fields reports those
            }
            long days = window.end().toEpochDay() - window.start().toEpochDay() + 1;
            String problem = null;
            if (days < 1) {
                problem = "must not be before start (" + window.start() + ")";
            } else if (days < RunDefaults.MIN_WINDOW_DAYS) {
                problem = "the window spans " + days + " days; at least " + RunDefaults.MIN_WINDOW_DAYS
                        + " are needed (training, validation and test days)";
            } else if (days > RunDefaults.MAX_WINDOW_DAYS) {
                problem = "the window spans " + days + " days; at most " + RunDefaults.MAX_WINDOW_DAYS + " are allowed";
            }
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addPropertyNode("end").addConstraintViolation();
            return false;
        }
    }
}
