package dev.trustledger.query.portfolio;

import dev.trustledger.query.engagement.EngagementView;

/**
 * One engagement as the portfolio showed it at a business time: its scores then, from the
 * events that had occurred by then.
 *
 * @param item what the portfolio answers with
 */
record Standing(EngagementView item) {
}
