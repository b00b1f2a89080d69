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
 * Text a person wrote: no control characters (a tab and a line feed only where the text
 * may run over several lines), no unpaired surrogate, no Unicode non-character. Such
 * characters have no place in a name or a note and break what reads them later: logs, CSV
 * exports, terminals, other systems' parsers.
 */
@Documented
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = PlainText.Validator.class)
@interface PlainText {

	/**
	 * Whether a tab and a line feed are allowed (notes), or the text is one line (names).
	 */
	boolean multiline() default false;

	String message() default "must be one line of plain text: no control characters, no unpaired surrogates";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Validator implements ConstraintValidator<PlainText, String> {

		private boolean multiline;

		@Override
		public void initialize(PlainText annotation) {
			this.multiline = annotation.multiline();
		}

		@Override
		public boolean isValid(String text, ConstraintValidatorContext context) {
			int at = (text != null) ? firstForbidden(text, this.multiline) : -1;
			if (at < 0) {
				return true;
			}
			if (this.multiline) {
				context.disableDefaultConstraintViolation();
				context
					.buildConstraintViolationWithTemplate("must be plain text: no control characters other than tab "
							+ "and line feed, no unpaired surrogates (the first is at index " + at + ")")
					.addConstraintViolation();
			}
			return false;
		}

		/**
		 * Where the first character that plain text may not hold is, or {@code -1}.
		 */
		static int firstForbidden(String text, boolean multiline) {
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (Character.isHighSurrogate(c)) {
					if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
						return i;
					}
					int codePoint = text.codePointAt(i);
					if ((codePoint & 0xFFFE) == 0xFFFE) {
						return i;
					}
					i++;
					continue;
				}
				if (Character.isLowSurrogate(c) || c == '\uFFFE' || c == '\uFFFF' || (c >= '\uFDD0' && c <= '\uFDEF')) {
					return i;
				}
				if (Character.getType(c) == Character.CONTROL && !(multiline && (c == '\t' || c == '\n'))) {
					return i;
				}
			}
			return -1;
		}

	}

}
