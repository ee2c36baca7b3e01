package org.feedbackhub.db;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The history of records-only purges ({@code tenant_records_purges}): accepted with their mark,
 * then advanced batch by batch in the batch's own transaction, so a batch that rolls back leaves no
 * trace here either.
 *
 * @implNote A partial unique index allows one accepted or running purge per tenant: an accept that
 *     meets it inserts nothing, and the caller joins the purge that is there.
 */
@RegisterConstructorMapper(RecordsPurgeRow.class)
public interface RecordsPurgeHistoryDao {
  /** The new purge's id, or empty when the tenant already has one accepted or running. */
  @SqlQuery(
      """
      INSERT INTO tenant_records_purges (tenant_id, high_water_mark, initiated_by, request_id)
      VALUES (:tenantId, :mark, :initiatedBy, :requestId)
      ON CONFLICT (tenant_id) WHERE state IN ('accepted', 'running') DO NOTHING
      RETURNING id
      """)
  Optional<UUID> insertAccepted(
      @Bind("tenantId") String tenantId,
      @Bind("mark") UUID mark,
      @Bind("initiatedBy") String initiatedBy,
      @Bind("requestId") String requestId);

  @SqlQuery(
      """
      SELECT *
      FROM tenant_records_purges
      WHERE tenant_id = :tenantId
        AND state IN ('accepted', 'running')
      """)
  Optional<RecordsPurgeRow> active(@Bind("tenantId") String tenantId);

  @SqlQuery(
      """
      SELECT *
      FROM tenant_records_purges
      WHERE id = :id
      """)
  Optional<RecordsPurgeRow> find(@Bind("id") UUID id);

  /** Counts an attempt and marks the purge running; empty when it is no longer active. */
  @SqlQuery(
      """
      UPDATE tenant_records_purges
      SET state = 'running',
          attempts = attempts + 1,
          started_at = COALESCE(started_at, now()),
          updated_at = now()
      WHERE id = :id
        AND state IN ('accepted', 'running')
      RETURNING *
      """)
  Optional<RecordsPurgeRow> startAttempt(@Bind("id") UUID id);

  /**
   * Marks the purge running in attempt {@code attempt} of its job (the queue counts attempts; a
   * claim that only continues after a pause between batches keeps the number); empty when it is no
   * longer active.
   */
  @SqlQuery(
      """
      UPDATE tenant_records_purges
      SET state = 'running',
          attempts = GREATEST(attempts, :attempt),
          started_at = COALESCE(started_at, now()),
          updated_at = now()
      WHERE id = :id
        AND state IN ('accepted', 'running')
      RETURNING *
      """)
  Optional<RecordsPurgeRow> startJobAttempt(@Bind("id") UUID id, @Bind("attempt") int attempt);

  /**
   * Adds one committed batch to the purge's counts; inside the batch's transaction.
   *
   * @return 0 when the purge is not running (then the batch must roll back)
   */
  @SqlUpdate(
      """
      UPDATE tenant_records_purges
      SET batches_done = batches_done + 1,
          deleted_feedback_records = deleted_feedback_records + :c.records,
          deleted_embeddings = deleted_embeddings + :c.embeddings,
          deleted_taxonomy_cluster_memberships
              = deleted_taxonomy_cluster_memberships + :c.taxonomyMemberships,
          deleted_pending_messages = deleted_pending_messages + :c.pendingMessages,
          deleted_pending_deliveries = deleted_pending_deliveries + :c.pendingDeliveries,
          lock_wait_ms = lock_wait_ms + :lockWaitMs,
          updated_at = now()
      WHERE id = :id
        AND state = 'running'
      """)
  int recordBatch(
      @Bind("id") UUID id,
      @BindMethods("c") BatchCounts counts,
      @Bind("lockWaitMs") long lockWaitMs);

  /** What one batch deleted. */
  record BatchCounts(
      long records,
      long embeddings,
      long taxonomyMemberships,
      long pendingMessages,
      long pendingDeliveries) {}

  /** What the last step deleted of the tenant's taxonomy. */
  record TaxonomyCounts(
      long runs, long clusters, long memberships, long nodes, long activeRuns, long nodeEvents) {}

  /**
   * Completes the purge with its taxonomy counts; inside the last step's transaction.
   *
   * @return 0 when the purge is not running (then the step must roll back)
   */
  @SqlUpdate(
      """
      UPDATE tenant_records_purges
      SET state = 'completed',
          deleted_taxonomy_runs = :t.runs,
          deleted_taxonomy_clusters = :t.clusters,
          deleted_taxonomy_cluster_memberships
              = deleted_taxonomy_cluster_memberships + :t.memberships,
          deleted_taxonomy_nodes = :t.nodes,
          deleted_taxonomy_active_runs = :t.activeRuns,
          deleted_taxonomy_node_events = :t.nodeEvents,
          lock_wait_ms = lock_wait_ms + :lockWaitMs,
          updated_at = now(),
          finished_at = now()
      WHERE id = :id
        AND state = 'running'
      """)
  int complete(
      @Bind("id") UUID id,
      @BindMethods("t") TaxonomyCounts counts,
      @Bind("lockWaitMs") long lockWaitMs);

  /** Adds the wait of a batch that did not get the lock; in its own short transaction. */
  @SqlUpdate(
      """
      UPDATE tenant_records_purges
      SET lock_wait_ms = lock_wait_ms + :lockWaitMs,
          error = :error,
          updated_at = now()
      WHERE id = :id
        AND state IN ('accepted', 'running')
      """)
  int recordRefusedBatch(
      @Bind("id") UUID id, @Bind("lockWaitMs") long lockWaitMs, @Bind("error") String error);

  /** Records that the purge gave up; what its committed batches deleted stays counted. */
  @SqlUpdate(
      """
      UPDATE tenant_records_purges
      SET state = 'failed',
          error = :error,
          updated_at = now(),
          finished_at = now()
      WHERE id = :id
        AND state IN ('accepted', 'running')
      """)
  int fail(@Bind("id") UUID id, @Bind("error") String error);

  /**
   * The most recent records-only purges, newest first, as JSON objects for the admin console; an
   * active one carries {@code records_left}, the tenant's records at or below its mark.
   */
  @SqlQuery(
      """
      SELECT json_build_object(
          'id', p.id,
          'tenant_id', p.tenant_id,
          'state', p.state,
          'high_water_mark', p.high_water_mark,
          'initiated_by', p.initiated_by,
          'attempts', p.attempts,
          'batches_done', p.batches_done,
          'records_left', CASE
              WHEN p.state NOT IN ('accepted', 'running') THEN NULL
              WHEN p.high_water_mark IS NULL THEN 0
              ELSE (SELECT count(*)
                    FROM feedback_records f
                    WHERE f.tenant_id = p.tenant_id
                      AND f.id <= p.high_water_mark)
          END,
          'deleted_counts', json_build_object(
              'feedback_records', p.deleted_feedback_records,
              'embeddings', p.deleted_embeddings,
              'taxonomy_cluster_memberships', p.deleted_taxonomy_cluster_memberships,
              'pending_messages', p.deleted_pending_messages,
              'pending_deliveries', p.deleted_pending_deliveries,
              'taxonomy_runs', p.deleted_taxonomy_runs,
              'taxonomy_clusters', p.deleted_taxonomy_clusters,
              'taxonomy_nodes', p.deleted_taxonomy_nodes,
              'taxonomy_active_runs', p.deleted_taxonomy_active_runs,
              'taxonomy_node_events', p.deleted_taxonomy_node_events),
          'lock_wait_ms', p.lock_wait_ms,
          'accepted_at', p.accepted_at,
          'started_at', p.started_at,
          'finished_at', p.finished_at,
          'duration_ms', round(extract(epoch FROM p.finished_at - p.started_at) * 1000),
          'error', p.error)::text
      FROM tenant_records_purges p
      ORDER BY p.accepted_at DESC
      LIMIT :limit
      """)
  List<String> recentAsJson(@Bind("limit") int limit);

  /** How many records-only purges are running now, on every instance. */
  @SqlQuery(
      """
      SELECT count(*)
      FROM tenant_records_purges
      WHERE state = 'running'
      """)
  long runningCount();
}
