package io.rankops.api.schedules;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.ZoneId;

/** An IANA time-zone name ("UTC", "Europe/Amsterdam"), as Temporal's schedule spec expects; null is allowed. */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = KnownTimeZone.Validator.class)
public @interface KnownTimeZone {

    String message() default "unknown time zone; use an IANA name such as UTC or Europe/Amsterdam";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<KnownTimeZone, String> {

        @Override
        public boolean isValid(String zone, ConstraintValidatorContext context) {
            // Fixed offsets ("+02:00") parse as ZoneIds but are no IANA names; the list has only names.
            return zone == null || ZoneId.getAvailableZoneIds().contains(zone);
        }
    }
}
