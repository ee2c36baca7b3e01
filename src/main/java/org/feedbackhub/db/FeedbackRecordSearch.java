package org.feedbackhub.db;

import java.util.List;
import java.util.Map;
import org.feedbackhub.api.FeedbackRecordData;
import org.feedbackhub.api.FeedbackRecordFilter;
import org.feedbackhub.api.FeedbackRecordOrder;
import org.feedbackhub.api.KeysetCursor;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * List and count of one tenant's feedback records with optional filters, in keyset order {@code
 * <sort> <order>, id ASC}. The sort column is {@code collected_at} or {@code created_at}; each has
 * a {@code (tenant_id, <column> DESC, id)} index, which serves the descending order directly and
 * the ascending one scanned backwards, with an incremental sort restoring {@code id ASC} within a
 * tie (ties are a submission's fields, a handful of rows).
 *
 * <p>A page is found in two steps: the ids in order, then their rows by primary key. The first step
 * reads only {@code idx_feedback_records_tenant_collected_at_covering} (an index-only scan that
 * evaluates the enrichment, time and number filters on the index entries, whatever their
 * selectivity) when the filters touch only its columns; the second fetches exactly the page's rows.
 * Reading whole rows in the first step would visit a heap page for every row a selective filter
 * skips.
 *
 * <p>The keyset predicate repeats {@code <column> <= :cursorTime} (or {@code >=}) outside the OR,
 * so a deep page starts its index scan at the cursor instead of filtering every earlier row.
 */
public final class FeedbackRecordSearch {
  private static final FeedbackRecordMapper MAPPER = new FeedbackRecordMapper();

  private final Jdbi jdbi;

  public FeedbackRecordSearch(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Up to {@code limit} rows after {@code cursor} (null for the first page). */
  public List<FeedbackRecordData> list(
      FeedbackRecordFilter filter, FeedbackRecordOrder order, KeysetCursor cursor, int limit) {
    FeedbackRecordPredicates where = FeedbackRecordPredicates.of(filter);
    String column = order.byCreatedAt() ? "created_at" : "collected_at";
    String direction = order.ascending() ? "ASC" : "DESC";
    if (cursor != null) {
      String past = order.ascending() ? ">" : "<";
      where.add(
          "%1$s %2$s= :cursorTime AND (%1$s %2$s :cursorTime OR id > :cursorId)"
              .formatted(column, past),
          Map.of(
              "cursorTime",
              FeedbackRecordPredicates.utc(cursor.timestamp()),
              "cursorId",
              cursor.id()));
    }
    String keyOrder = column + " " + direction;
    String sql =
        """
        SELECT f.*
        FROM (
            SELECT id, %1$s
            FROM feedback_records
            WHERE %2$s
            ORDER BY %3$s, id ASC
            LIMIT :limit
        ) AS page
        JOIN feedback_records f ON f.id = page.id
        ORDER BY page.%3$s, page.id ASC
        """
            .formatted(column, where.sql(), keyOrder);
    return jdbi.withHandle(
        handle -> {
          Query query = handle.createQuery(sql).bind("limit", limit);
          where.binds().forEach(query::bind);
          return query.map(MAPPER).list();
        });
  }

  public long count(FeedbackRecordFilter filter) {
    FeedbackRecordPredicates where = FeedbackRecordPredicates.of(filter);
    String sql = "SELECT count(*)\nFROM feedback_records\nWHERE " + where.sql();
    return jdbi.withHandle(
        handle -> {
          Query query = handle.createQuery(sql);
          where.binds().forEach(query::bind);
          return query.mapTo(Long.class).one();
        });
  }
}
