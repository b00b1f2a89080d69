package dev.trustledger.command.engagement;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * An instant in the range a business fact can have: from 1970 on, and with a four-digit
 * year, so that every store, envelope and date library downstream can hold it. How far
 * ahead of now it may be is the engagement's rule ({@link Engagement}), since only the
 * aggregate has the clock.
 */
@Documented
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = BusinessTime.Validator.class)
@interface BusinessTime {

	/** The earliest instant a fact may have. */
	Instant EARLIEST = Instant.EPOCH;

	/** Past the last instant with a four-digit year. */
	Instant BEYOND = Instant.parse("9999-12-31T23:59:59.999999999Z");

	String message() default "must be from 1970-01-01T00:00:00Z on and have a four-digit year";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Validator implements ConstraintValidator<BusinessTime, Instant> {

		@Override
		public boolean isValid(Instant instant, ConstraintValidatorContext context) {
			return instant == null || (!instant.isBefore(EARLIEST) && !instant.isAfter(BEYOND));
		}

	}

}
