package org.feedbackhub.db;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps {@code SELECT *} (or {@code RETURNING *}) of {@code webhooks} to a {@link WebhookRow}. */
public final class WebhookRowMapper implements RowMapper<WebhookRow> {
  @Override
  public WebhookRow map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new WebhookRow(
        rs.getObject("id", UUID.class),
        rs.getString("url"),
        rs.getString("signing_key"),
        rs.getBoolean("enabled"),
        rs.getString("tenant_id"),
        eventTypes(rs.getArray("event_types")),
        instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("updated_at")),
        rs.getString("disabled_reason"),
        instant(rs.getTimestamp("disabled_at")));
  }

  private static List<String> eventTypes(Array array) throws SQLException {
    if (array == null) {
      return null;
    }
    return List.copyOf(Arrays.asList((String[]) array.getArray()));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
