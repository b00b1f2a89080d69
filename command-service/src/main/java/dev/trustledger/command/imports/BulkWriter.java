package dev.trustledger.command.imports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Sends the commands of runs of import lines in bulk, with the same results as one by
 * one. The lines of a run are grouped by engagement, keeping their order within each
 * engagement, and each group's commands run in one unit of work and one database
 * transaction, so that a hundred incidents of one engagement are one append and one
 * commit instead of a hundred. Groups run in parallel
 * ({@code trustledger.imports.parallelism} at a time), across runs too: a group waits
 * only for the previous group of its own engagement in the same import, so an export
 * written engagement by engagement still loads several engagements at once.
 * <p>
 * A command rejected by the engagement's rules leaves the others of its group untouched
 * (its own nested unit of work rolls back; Axon drops only its events). If the group's
 * commit itself fails (another instance wrote to the same engagement meanwhile, say),
 * nothing of the group is stored and its lines are sent again one by one, each in a
 * transaction of its own: every command is idempotent, so none is stored twice. Results
 * are only handed out once the transaction that stored them has committed.
 */
@Component
class BulkWriter {

	private static final Logger log = LoggerFactory.getLogger(BulkWriter.class);

	private static final ContextSnapshotFactory CONTEXT = ContextSnapshotFactory.builder().build();

	private final TransactionManager transactions;

	private final ExecutorService workers;

	BulkWriter(TransactionManager transactions, @Value("${trustledger.imports.parallelism:4}") int parallelism) {
		this.transactions = transactions;
		AtomicInteger threads = new AtomicInteger();
		this.workers = Executors.newFixedThreadPool(parallelism, (task) -> {
			Thread thread = new Thread(task, "import-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/** A line's command, or the outcome it had. */
	static final class Line {

		final long number;

		final ImportLines.Planned planned;

		Object result;

		RuntimeException rejection;

		Line(long number, ImportLines.Planned planned) {
			this.number = number;
			this.planned = planned;
		}

		Line(long number, RuntimeException rejection) {
			this(number, (ImportLines.Planned) null);
			this.rejection = rejection;
		}

	}

	/**
	 * One import in progress: the last group submitted for each engagement, which the
	 * engagement's next group waits for. Used by the one request thread of the import.
	 */
	static final class Session {

		private final Map<Object, CompletableFuture<Void>> latest = new HashMap<>();

		/** Forgets the engagements whose groups are all done. */
		void forgetFinished() {
			this.latest.values().removeIf(CompletableFuture::isDone);
		}

	}

	/**
	 * Starts sending every planned line of {@code lines}; each line has its result or
	 * rejection filled in once the answer completes.
	 */
	CompletableFuture<Void> submit(List<Line> lines, Session session) {
		Map<Object, List<Line>> groups = new LinkedHashMap<>();
		for (Line line : lines) {
			if (line.planned != null) {
				// an opening without an id is an engagement no other line can name
				Object key = (line.planned.engagementId() != null) ? line.planned.engagementId() : line;
				groups.computeIfAbsent(key, (k) -> new ArrayList<>()).add(line);
			}
		}
		List<CompletableFuture<Void>> running = new ArrayList<>(groups.size());
		// the import request's trace context goes with the lines to the workers, and from
		// there onto the events they store
		ContextSnapshot context = CONTEXT.captureAll();
		for (Map.Entry<Object, List<Line>> group : groups.entrySet()) {
			CompletableFuture<Void> before = session.latest.get(group.getKey());
			Runnable write = context.wrap(() -> writeGroup(group.getValue()));
			CompletableFuture<Void> after = (before != null)
					? before.handle((ignored, failure) -> null).thenRunAsync(write, this.workers)
					: CompletableFuture.runAsync(write, this.workers);
			session.latest.put(group.getKey(), after);
			running.add(after);
		}
		return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new));
	}

	private void writeGroup(List<Line> group) {
		if (group.size() > 1 && writeInOneTransaction(group)) {
			return;
		}
		for (Line line : group) {
			send(line);
		}
	}

	/**
	 * @return whether the group committed; if not, nothing of it is stored
	 */
	private boolean writeInOneTransaction(List<Line> group) {
		UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(new GenericMessage<>("import"));
		try {
			unitOfWork.attachTransaction(this.transactions);
			for (Line line : group) {
				send(line);
			}
			unitOfWork.commit();
			return true;
		}
		catch (RuntimeException ex) {
			log.debug("An import group of {} lines did not commit together; sending them one by one", group.size(), ex);
			for (Line line : group) {
				line.result = null;
				line.rejection = null;
			}
			return false;
		}
		finally {
			// whatever went wrong (an Error too), leave no unit of work, transaction or
			// engagement lock behind on this pooled thread
			if (unitOfWork.isActive()) {
				unitOfWork.rollback();
			}
		}
	}

	private static void send(Line line) {
		try {
			line.result = line.planned.send().get();
		}
		catch (RuntimeException ex) {
			line.rejection = ex;
		}
	}

	@PreDestroy
	void stop() {
		this.workers.shutdownNow();
	}

}
