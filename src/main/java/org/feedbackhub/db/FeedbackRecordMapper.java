package org.feedbackhub.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.feedbackhub.api.FeedbackRecordData;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a {@code feedback_records} row to its wire form. */
public final class FeedbackRecordMapper implements RowMapper<FeedbackRecordData> {
  /** Reads metadata numbers exactly, as they were stored. */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(
              com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES,
              false);

  @Override
  public FeedbackRecordData map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new FeedbackRecordData(
        rs.getObject("id", UUID.class),
        instant(rs, "collected_at"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        rs.getString("source_type"),
        rs.getString("source_id"),
        rs.getString("source_name"),
        rs.getString("field_id"),
        rs.getString("field_label"),
        rs.getString("field_type"),
        rs.getString("field_group_id"),
        rs.getString("field_group_label"),
        rs.getString("value_text"),
        rs.getString("value_id"),
        nullableDouble(rs, "value_number"),
        nullableBoolean(rs, "value_boolean"),
        instant(rs, "value_date"),
        json(rs.getString("metadata")),
        rs.getString("language"),
        rs.getString("user_id"),
        rs.getString("tenant_id"),
        rs.getString("submission_id"),
        rs.getString("value_text_translated"),
        rs.getString("translation_lang_key"),
        rs.getString("sentiment"),
        nullableDouble(rs, "sentiment_score"),
        strings(rs.getArray("emotions")));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double value = rs.getDouble(column);
    return rs.wasNull() ? null : value;
  }

  private static Boolean nullableBoolean(ResultSet rs, String column) throws SQLException {
    boolean value = rs.getBoolean(column);
    return rs.wasNull() ? null : value;
  }

  static JsonNode json(String text) throws SQLException {
    if (text == null) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable jsonb value", e);
    }
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? null : Arrays.asList((String[]) array.getArray());
  }
}
