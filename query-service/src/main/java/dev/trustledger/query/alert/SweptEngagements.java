package dev.trustledger.query.alert;

import java.util.function.Consumer;

import org.bson.Document;

/**
 * The engagements a sweep for time-raised alerts looks at, from memory rather than the
 * store: each engagement's document without what can grow (its promises, its history's
 * months), with its status, last sequence, last event, earliest open promise and alert
 * state.
 */
public interface SweptEngagements {

	/**
	 * Gives every engagement of {@code generation} to {@code action}.
	 * @return {@code false}, having given none, while that generation is not held in
	 * memory
	 */
	boolean forEach(int generation, Consumer<Document> action);

}
