package dev.trustledger.command.engagement;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * The type-specific field rules of an incident request, reported field by field next to
 * the plain Bean Validation errors, so that one answer lists every mistake.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = IncidentTypeRules.Validator.class)
@interface IncidentTypeRules {

	String message() default "does not fit its incident type";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Validator implements ConstraintValidator<IncidentTypeRules, IncidentRequest> {

		@Override
		public boolean isValid(IncidentRequest request, ConstraintValidatorContext context) {
			var problems = request.typeProblems();
			if (problems.isEmpty()) {
				return true;
			}
			context.disableDefaultConstraintViolation();
			problems.forEach((problem) -> context.buildConstraintViolationWithTemplate(problem.message())
				.addPropertyNode(problem.field())
				.addConstraintViolation());
			return false;
		}

	}

}
