package dev.trustledger.query.portfolio;

import java.util.Map;

/**
 * One engagement as the portfolio showed it at a business time: its scores then, from the
 * events that had occurred by then.
 *
 * @param item what the portfolio answers with; not to be changed
 */
record Standing(Map<String, Object> item) {
}
