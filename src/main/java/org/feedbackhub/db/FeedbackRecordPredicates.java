package org.feedbackhub.db;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.feedbackhub.api.FeedbackRecordFilter;
import org.feedbackhub.api.FeedbackRecordFilter.Listed;
import org.feedbackhub.api.FeedbackRecordFilter.Presence;
import org.feedbackhub.api.FeedbackRecordFilter.Range;

/**
 * The WHERE clause of a feedback-record filter with its named binds. Only the filters given become
 * predicates, so the planner sees exactly the columns a request constrains.
 *
 * @implNote A listed filter of one value is an equality, of several {@code = ANY(array)}; both use
 *     the same indexes. {@code emotions} is an array overlap ({@code &&}, any label), which the
 *     partial GIN index on {@code emotions} serves. Column names come from this class, never from a
 *     request.
 */
final class FeedbackRecordPredicates {
  private final List<String> clauses = new ArrayList<>();
  private final Map<String, Object> binds = new LinkedHashMap<>();

  static FeedbackRecordPredicates of(FeedbackRecordFilter f) {
    FeedbackRecordPredicates where = new FeedbackRecordPredicates();
    where.add("tenant_id = :tenantId", "tenantId", f.tenantId());
    f.anyOf().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> where.listed(e.getKey(), e.getValue()));
    where.range("collected_at", "collectedAt", f.collectedAt());
    where.range("created_at", "createdAt", f.createdAt());
    where.range("updated_at", "updatedAt", f.updatedAt());
    where.range("value_number", "valueNumber", f.valueNumber());
    where.range("value_date", "valueDate", f.valueDate());
    where.range("sentiment_score", "sentimentScore", f.sentimentScore());
    f.present().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> where.presence(e.getKey(), e.getValue()));
    return where;
  }

  void add(String clause, String bind, Object value) {
    clauses.add(clause);
    binds.put(bind, value);
  }

  void add(String clause, Map<String, Object> clauseBinds) {
    clauses.add(clause);
    binds.putAll(clauseBinds);
  }

  String sql() {
    return String.join("\n  AND ", clauses);
  }

  Map<String, Object> binds() {
    return binds;
  }

  private void listed(Listed filter, List<String> values) {
    String bind = "anyOf" + filter.ordinal();
    switch (filter) {
      case FIELD_TYPE ->
          anyOf(
              "field_type",
              "CAST(:" + bind + " AS field_type_enum[])",
              "CAST(:" + bind + " AS field_type_enum)",
              bind,
              values);
      case EMOTIONS ->
          add("emotions && CAST(:" + bind + " AS text[])", bind, values.toArray(String[]::new));
      default -> anyOf(column(filter), ":" + bind, ":" + bind, bind, values);
    }
  }

  private void anyOf(String column, String array, String single, String bind, List<String> values) {
    if (values.size() == 1) {
      add(column + " = " + single, bind, values.get(0));
    } else {
      add(column + " = ANY(" + array + ")", bind, values.toArray(String[]::new));
    }
  }

  private static String column(Listed filter) {
    return switch (filter) {
      case SUBMISSION_ID -> "submission_id";
      case SOURCE_TYPE -> "source_type";
      case SOURCE_ID -> "source_id";
      case SOURCE_NAME -> "source_name";
      case FIELD_ID -> "field_id";
      case FIELD_GROUP_ID -> "field_group_id";
      case VALUE_ID -> "value_id";
      case USER_ID -> "user_id";
      case LANGUAGE -> "language";
      case SENTIMENT -> "sentiment";
      case FIELD_TYPE, EMOTIONS -> throw new IllegalArgumentException(filter.name());
    };
  }

  private void range(String column, String bind, Range<?> range) {
    if (range.min() != null) {
      add(column + " >= :" + bind + "Min", bind + "Min", value(range.min()));
    }
    if (range.max() != null) {
      add(column + " <= :" + bind + "Max", bind + "Max", value(range.max()));
    }
  }

  private static Object value(Object bound) {
    return bound instanceof Instant instant ? utc(instant) : bound;
  }

  private void presence(Presence enrichment, boolean present) {
    String column =
        switch (enrichment) {
          case SENTIMENT -> "sentiment";
          case EMOTIONS -> "emotions";
          case TRANSLATION -> "translation_lang_key";
        };
    clauses.add(column + (present ? " IS NOT NULL" : " IS NULL"));
  }

  /** Bound as {@code timestamptz}. */
  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
