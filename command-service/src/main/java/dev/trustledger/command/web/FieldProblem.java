package dev.trustledger.command.web;

/**
 * One request field at fault and what is wrong with it.
 *
 * @param field the field's JSON name
 */
public record FieldProblem(String field, String message) {
}
