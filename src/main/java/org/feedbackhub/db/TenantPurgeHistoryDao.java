package org.feedbackhub.db;

import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The purge history: one row per purge attempt with its outcome, counts and timings. */
public interface TenantPurgeHistoryDao {
  @SqlUpdate(
      """
      INSERT INTO tenant_purges (
          tenant_id, started_at, finished_at, outcome, initiated_by, request_id, lock_wait_ms,
          deleted_counts, error)
      VALUES (
          :tenantId, :startedAt, now(), :outcome, :initiatedBy, :requestId, :lockWaitMs,
          CAST(:deletedCounts AS jsonb), :error)
      """)
  void insert(
      @Bind("tenantId") String tenantId,
      @Bind("startedAt") OffsetDateTime startedAt,
      @Bind("outcome") String outcome,
      @Bind("initiatedBy") String initiatedBy,
      @Bind("requestId") String requestId,
      @Bind("lockWaitMs") long lockWaitMs,
      @Bind("deletedCounts") String deletedCountsJson,
      @Bind("error") String error);

  /** The most recent purges, newest first, as JSON objects for the admin console. */
  @SqlQuery(
      """
      SELECT json_build_object(
          'tenant_id', tenant_id,
          'started_at', started_at,
          'finished_at', finished_at,
          'duration_ms', round(extract(epoch FROM finished_at - started_at) * 1000),
          'outcome', outcome,
          'initiated_by', initiated_by,
          'request_id', request_id,
          'lock_wait_ms', lock_wait_ms,
          'deleted_counts', deleted_counts,
          'error', error)::text
      FROM tenant_purges
      ORDER BY started_at DESC
      LIMIT :limit
      """)
  List<String> recentAsJson(@Bind("limit") int limit);
}
