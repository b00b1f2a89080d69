package dev.trustledger.query.portfolio;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trustledger.query.engagement.EngagementView;

/**
 * One page of the portfolio.
 *
 * @param page the page, from 0
 * @param size the most items a page holds
 * @param total how many engagements pass the filter, on every page
 * @param asOf the business time the scores stood at, when one was asked for
 * @param items the engagements of this page, in the order asked for
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PortfolioPage(int page, int size, long total, Instant asOf, List<EngagementView> items) {
}
