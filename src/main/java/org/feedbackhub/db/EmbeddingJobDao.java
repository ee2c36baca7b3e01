package org.feedbackhub.db;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The embedding backfill's enqueue: {@code outbox_messages} jobs of topic {@code 'embedding'} with
 * payload {@code {"feedback_record_id": ...}} for records that lack a vector. Claims, retries and
 * parking are the job queue's ({@code jobs/JobQueue}).
 */
public interface EmbeddingJobDao {
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
