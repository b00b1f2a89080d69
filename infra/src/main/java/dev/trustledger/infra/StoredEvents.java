package dev.trustledger.infra;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the command service's event store (Axon's {@code domainevententry} table)
 * straight from PostgreSQL, for tests and the load driver to check what was stored.
 */
public final class StoredEvents {

	private final String jdbcUrl;

	private final String password;

	public StoredEvents(String jdbcUrl, String password) {
		this.jdbcUrl = jdbcUrl;
		this.password = password;
	}

	/** One stored event. */
	public record Row(long globalIndex, String engagementId, long sequence, String eventId, String payloadType,
			String payload) {
	}

	/** An engagement's events in sequence order. */
	public List<Row> of(String engagementId) {
		return query("WHERE aggregateidentifier = ? ORDER BY sequencenumber", engagementId);
	}

	/** Every stored event in global order. */
	public List<Row> all() {
		return query("ORDER BY globalindex", null);
	}

	public long count(String engagementId) {
		return of(engagementId).size();
	}

	/** How many events are stored in all. */
	public long count() {
		try (Connection connection = connect();
				ResultSet rows = connection.createStatement().executeQuery("SELECT count(*) FROM domainevententry")) {
			rows.next();
			return rows.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private List<Row> query(String where, String engagementId) {
		try (Connection connection = connect();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT globalindex, aggregateidentifier, sequencenumber, eventidentifier, payloadtype, payload"
								+ " FROM domainevententry " + where)) {
			if (engagementId != null) {
				statement.setString(1, engagementId);
			}
			List<Row> result = new ArrayList<>();
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					result.add(new Row(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getString(4),
							rows.getString(5), new String(rows.getBytes(6), StandardCharsets.UTF_8)));
				}
			}
			return result;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(this.jdbcUrl, EmbeddedPostgresServer.USER, this.password);
	}

}
