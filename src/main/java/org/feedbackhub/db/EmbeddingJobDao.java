package org.feedbackhub.db;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Embedding jobs: {@code outbox_messages} rows of topic {@code 'embedding'} with payload {@code
 * {"feedback_record_id": ...}}, written in the same statement as the record write that needs them.
 *
 * @implNote A claim leases the job by moving {@code available_at} past the lease and counts the
 *     attempt, under {@code FOR UPDATE SKIP LOCKED}, so instances never share a job and the
 *     provider call holds no transaction. A job whose worker died comes back when its lease ends. A
 *     job that failed for good is parked at {@code available_at = 'infinity'} with its error.
 */
@RegisterConstructorMapper(EmbeddingJobDao.Job.class)
public interface EmbeddingJobDao {
  /** A leased job; {@code attempts} counts this attempt; {@code recordId} null when unreadable. */
  record Job(UUID id, String tenantId, String recordId, int attempts) {}

  @SqlQuery(
      """
      UPDATE outbox_messages AS o
      SET attempts = o.attempts + 1,
          available_at = now() + make_interval(secs => :leaseSeconds)
      FROM (
          SELECT id
          FROM outbox_messages
          WHERE topic = 'embedding'
            AND available_at <= now()
          ORDER BY available_at, id
          LIMIT :limit
          FOR UPDATE SKIP LOCKED
      ) AS due
      WHERE o.id = due.id
      RETURNING o.id, o.tenant_id, o.payload ->> 'feedback_record_id' AS record_id, o.attempts
      """)
  List<Job> claim(@Bind("leaseSeconds") double leaseSeconds, @Bind("limit") int limit);

  @SqlUpdate(
      """
      DELETE FROM outbox_messages
      WHERE id = :id
      """)
  int complete(@Bind("id") UUID id);

  /**
   * Makes the job due again after {@code delaySeconds}; {@code refund} 1 gives the attempt back (a
   * provider rate limit is not the job's failure).
   */
  @SqlUpdate(
      """
      UPDATE outbox_messages
      SET available_at = now() + make_interval(secs => :delaySeconds),
          attempts = GREATEST(0, attempts - :refund),
          last_error = :error
      WHERE id = :id
      """)
  int reschedule(
      @Bind("id") UUID id,
      @Bind("delaySeconds") double delaySeconds,
      @Bind("refund") int refund,
      @Bind("error") String error);

  @SqlUpdate(
      """
      UPDATE outbox_messages
      SET available_at = 'infinity',
          last_error = :error
      WHERE id = :id
      """)
  int park(@Bind("id") UUID id, @Bind("error") String error);

  /**
   * Enqueues one keyset page of jobs for the tenant's text records with text and no vector of
   * {@code model} and no job queued, after {@code afterId}.
   *
   * @return the ids looked at in this page, in order (empty: done); a job was enqueued for each
   */
  @SqlQuery(
      """
      WITH page AS (
          SELECT f.id, f.tenant_id
          FROM feedback_records f
          WHERE f.tenant_id = :tenantId
            AND f.field_type = 'text'
            AND f.value_text IS NOT NULL
            AND btrim(f.value_text) <> ''
            AND (CAST(:afterId AS uuid) IS NULL OR f.id > :afterId)
            AND NOT EXISTS (
                SELECT 1
                FROM embeddings e
                WHERE e.feedback_record_id = f.id
                  AND e.model = :model)
          ORDER BY f.id
          LIMIT :limit
      ),
      enqueued AS (
          INSERT INTO outbox_messages (topic, tenant_id, payload)
          SELECT 'embedding', p.tenant_id, jsonb_build_object('feedback_record_id', p.id)
          FROM page p
          WHERE NOT EXISTS (
              SELECT 1
              FROM outbox_messages o
              WHERE o.tenant_id = p.tenant_id
                AND o.topic = 'embedding'
                AND o.available_at <> 'infinity'
                AND o.payload ->> 'feedback_record_id' = p.id::text)
          RETURNING 1
      )
      SELECT id, (SELECT count(*) FROM enqueued) AS enqueued
      FROM page
      ORDER BY id
      """)
  @RegisterConstructorMapper(BackfillRow.class)
  List<BackfillRow> backfillPage(
      @Bind("tenantId") String tenantId,
      @Bind("model") String model,
      @Bind("afterId") UUID afterId,
      @Bind("limit") int limit);

  /** A record looked at by a backfill page, with the page's count of jobs enqueued. */
  record BackfillRow(UUID id, long enqueued) {}
}
