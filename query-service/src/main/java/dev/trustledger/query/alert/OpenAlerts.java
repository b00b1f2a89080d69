package dev.trustledger.query.alert;

import java.util.List;

import org.bson.Document;

/**
 * The open alerts of the whole portfolio, from wherever every engagement's alert state is
 * already at hand, so that listing them scans neither the alerts nor the store.
 */
public interface OpenAlerts {

	/**
	 * The latest alert of each kind of every engagement whose condition still holds, most
	 * recent first; {@code null} when they are not at hand yet.
	 */
	List<Document> open(int limit);

}
