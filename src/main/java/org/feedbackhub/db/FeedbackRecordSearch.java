package org.feedbackhub.db;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.feedbackhub.api.FeedbackRecordData;
import org.feedbackhub.api.FeedbackRecordFilter;
import org.feedbackhub.api.KeysetCursor;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * List and count of one tenant's feedback records with optional filters, in keyset order {@code
 * collected_at DESC, id ASC}. Only the filters given become predicates, so every query can use the
 * {@code (tenant_id, collected_at DESC, id)} index or a per-column one.
 *
 * <p>The keyset predicate repeats {@code collected_at <= :cursorTime} outside the OR, so a deep
 * page starts its index scan at the cursor instead of filtering every earlier row of the tenant.
 */
public final class FeedbackRecordSearch {
  private static final FeedbackRecordMapper MAPPER = new FeedbackRecordMapper();

  private final Jdbi jdbi;

  public FeedbackRecordSearch(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Up to {@code limit} rows after {@code cursor} (null for the first page). */
  public List<FeedbackRecordData> list(
      FeedbackRecordFilter filter, KeysetCursor cursor, int limit) {
    Predicates where = predicates(filter);
    if (cursor != null) {
      where.add(
          "collected_at <= :cursorTime AND (collected_at < :cursorTime OR id > :cursorId)",
          Map.of(
              "cursorTime", cursor.timestamp().atOffset(ZoneOffset.UTC), "cursorId", cursor.id()));
    }
    String sql =
        "SELECT *\nFROM feedback_records\nWHERE "
            + where.sql()
            + "\nORDER BY collected_at DESC, id ASC\nLIMIT :limit";
    return jdbi.withHandle(
        handle -> {
          Query query = handle.createQuery(sql).bind("limit", limit);
          where.binds().forEach(query::bind);
          return query.map(MAPPER).list();
        });
  }

  public long count(FeedbackRecordFilter filter) {
    Predicates where = predicates(filter);
    String sql = "SELECT count(*)\nFROM feedback_records\nWHERE " + where.sql();
    return jdbi.withHandle(
        handle -> {
          Query query = handle.createQuery(sql);
          where.binds().forEach(query::bind);
          return query.mapTo(Long.class).one();
        });
  }

  private static Predicates predicates(FeedbackRecordFilter f) {
    Predicates where = new Predicates();
    where.add("tenant_id = :tenantId", Map.of("tenantId", f.tenantId()));
    where.equal("submission_id", "submissionId", f.submissionId());
    where.equal("source_type", "sourceType", f.sourceType());
    where.equal("source_id", "sourceId", f.sourceId());
    where.equal("field_id", "fieldId", f.fieldId());
    where.equal("field_group_id", "fieldGroupId", f.fieldGroupId());
    where.equal("user_id", "userId", f.userId());
    where.equal("value_id", "valueId", f.valueId());
    if (f.fieldType() != null) {
      where.add(
          "field_type = CAST(:fieldType AS field_type_enum)", Map.of("fieldType", f.fieldType()));
    }
    if (f.since() != null) {
      where.add("collected_at >= :since", Map.of("since", f.since().atOffset(ZoneOffset.UTC)));
    }
    if (f.until() != null) {
      where.add("collected_at <= :until", Map.of("until", f.until().atOffset(ZoneOffset.UTC)));
    }
    return where;
  }

  /** A conjunction of predicates with their named binds. */
  private static final class Predicates {
    private final List<String> clauses = new ArrayList<>();
    private final Map<String, Object> binds = new LinkedHashMap<>();

    void add(String clause, Map<String, Object> clauseBinds) {
      clauses.add(clause);
      binds.putAll(clauseBinds);
    }

    void equal(String column, String bind, String value) {
      if (value != null) {
        add(column + " = :" + bind, Map.of(bind, value));
      }
    }

    String sql() {
      return String.join("\n  AND ", clauses);
    }

    Map<String, Object> binds() {
      return binds;
    }
  }
}
