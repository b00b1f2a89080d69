package dev.trustledger.query.portfolio;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.trustledger.query.engagement.EngagementView;
import dev.trustledger.query.generation.Generation;
import dev.trustledger.query.generation.Generations;
import dev.trustledger.query.projection.EngagementProjection;
import dev.trustledger.support.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.bson.Document;
import org.bson.conversions.Bson;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The portfolio: every engagement with its scores, filtered, sorted and paged. */
@RestController
class PortfolioController {

	private final EngagementProjection projection;

	private final Generations generations;

	private final Clock clock;

	private final PortfolioIndex index;

	private final Standings standings;

	PortfolioController(EngagementProjection projection, Generations generations, Clock clock, PortfolioIndex index,
			Standings standings) {
		this.index = index;
		this.standings = standings;
		this.projection = projection;
		this.generations = generations;
		this.clock = clock;
	}

	/**
	 * The portfolio: every engagement with its current scores, at-risk first by default.
	 * @param sort {@code trust}, {@code responsibility} or {@code change} (30-day trend)
	 * @param asOf the scores as they stood at this business time instead of now
	 */
	@Operation(
			summary = "The portfolio: every engagement with its scores, filtered, sorted and paged, now or as of a date")
	@ApiResponse(responseCode = "200", description = "One page of the portfolio",
			content = @Content(schema = @Schema(implementation = PortfolioPage.class)))
	@GetMapping("/api/engagements")
	ResponseEntity<?> portfolio(@RequestParam(defaultValue = "trust") String sort,
			@RequestParam(defaultValue = "asc") String direction, @RequestParam(required = false) String band,
			@RequestParam(required = false) String deliveryLead, @RequestParam(required = false) String accountTeam,
			@RequestParam(required = false) Boolean stale, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size, @RequestParam(required = false) Instant asOf) {
		Generation generation = this.generations.current();
		String sortField = switch (sort) {
			case "trust" -> "scores.trust";
			case "responsibility" -> "scores.mutualResponsibility";
			case "change" -> "scores.trend30d";
			default -> null;
		};
		if (sortField == null || !List.of("asc", "desc").contains(direction) || page < 0 || size < 1 || size > 200) {
			return Problems.answer(HttpStatus.BAD_REQUEST, "invalid-field",
					(sortField == null) ? "sort" : !List.of("asc", "desc").contains(direction) ? "direction" : "page",
					"sort is trust, responsibility or change; direction asc or desc; page from 0; size 1 to 200.");
		}
		if (asOf != null) {
			return ResponseEntity.ok(portfolioAsOf(generation, asOf, sort, direction, band, deliveryLead, accountTeam,
					stale, page, size));
		}
		int staleDays = generation.engine().model().staleAfterDays();
		Instant now = this.clock.instant();
		PortfolioIndex.Table table = this.index.table();
		if (table == null) {
			return ResponseEntity
				.ok(fromStore(generation, sortField, direction, band, deliveryLead, accountTeam, stale, page, size));
		}
		Instant staleBefore = now.minus(Duration.ofDays(staleDays));
		String bandName = (band != null) ? band.toUpperCase(Locale.ROOT) : null;
		PortfolioIndex.Filter filter = new PortfolioIndex.Filter(bandName, deliveryLead, accountTeam, stale,
				staleBefore);
		PortfolioIndex.Page found = table.page(PortfolioIndex.Sort.valueOf(sort.toUpperCase(Locale.ROOT)),
				direction.equals("desc"), filter, page, size);
		List<EngagementView> items = new ArrayList<>(found.items().size());
		for (PortfolioIndex.Row row : found.items()) {
			// rendered once per change of the engagement; only stale depends on now
			items.add(row.item().staleAt(staleDays, now));
		}
		return ResponseEntity.ok(new PortfolioPage(page, size, found.total(), null, items));
	}

	/**
	 * The portfolio read from the store, while the index of a new generation is loaded:
	 * on a real MongoDB from the indexes the service creates, on the embedded server by a
	 * scan.
	 */
	private PortfolioPage fromStore(Generation generation, String sortField, String direction, String band,
			String deliveryLead, String accountTeam, Boolean stale, int page, int size) {
		List<Bson> filters = new ArrayList<>();
		if (band != null) {
			filters.add(Filters.eq("scores.band", band.toUpperCase(java.util.Locale.ROOT)));
		}
		if (deliveryLead != null) {
			filters.add(Filters.eq("deliveryLead", deliveryLead));
		}
		if (accountTeam != null) {
			filters.add(Filters.eq("accountTeam", accountTeam));
		}
		if (stale != null) {
			Date staleBefore = Date
				.from(this.clock.instant().minus(Duration.ofDays(generation.engine().model().staleAfterDays())));
			filters.add(stale ? Filters.lt("lastEventAt", staleBefore) : Filters.gte("lastEventAt", staleBefore));
		}
		Bson order = Sorts.orderBy(direction.equals("asc") ? Sorts.ascending(sortField) : Sorts.descending(sortField),
				Sorts.ascending("_id"));
		EngagementProjection.Page result = this.projection.page(generation,
				filters.isEmpty() ? new Document() : Filters.and(filters), order, page, size);
		List<EngagementView> items = new ArrayList<>();
		for (Document document : result.items()) {
			items.add(EngagementView.of(document, generation.engine().model().staleAfterDays(), this.clock.instant()));
		}
		return new PortfolioPage(page, size, result.total(), null, items);
	}

	/**
	 * The portfolio as it stood at business time {@code asOf}: every engagement opened by
	 * then, scored from the events that had occurred by then, filtered, sorted and paged
	 * by those scores. Names and people are the current ones.
	 */
	private PortfolioPage portfolioAsOf(Generation generation, Instant asOf, String sort, String direction, String band,
			String deliveryLead, String accountTeam, Boolean stale, int page, int size) {
		List<EngagementView> sorted = this.standings.get(generation, asOf)
			.sorted(PortfolioIndex.Sort.valueOf(sort.toUpperCase(Locale.ROOT)), direction.equals("desc"));
		long from = (long) page * size;
		if (band == null && stale == null && deliveryLead == null && accountTeam == null) {
			int start = (int) Math.min(sorted.size(), from);
			return new PortfolioPage(page, size, sorted.size(), asOf,
					sorted.subList(start, (int) Math.min(sorted.size(), from + size)));
		}
		// the sorted list filtered in its order: no sort per page, and the count of all
		// that match
		List<EngagementView> items = new ArrayList<>(size);
		int total = 0;
		for (EngagementView item : sorted) {
			if ((band == null || band.equalsIgnoreCase(item.band().name()))
					&& (stale == null || stale.equals(item.stale()))
					&& (deliveryLead == null || deliveryLead.equals(item.deliveryLead()))
					&& (accountTeam == null || accountTeam.equals(item.accountTeam()))) {
				if (total >= from && items.size() < size) {
					items.add(item);
				}
				total++;
			}
		}
		return new PortfolioPage(page, size, total, asOf, items);
	}

}
