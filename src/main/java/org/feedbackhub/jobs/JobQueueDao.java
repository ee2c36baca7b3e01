package org.feedbackhub.jobs;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The statements of {@code outbox_messages} used as a job queue. A parked job has {@code
 * available_at = 'infinity'}; every change to a claimed job matches {@code attempts}, the fence.
 */
@RegisterConstructorMapper(ClaimedJob.class)
interface JobQueueDao {
  @SqlQuery(
      """
      INSERT INTO outbox_messages (topic, tenant_id, payload, available_at, unique_key)
      VALUES (:topic, :tenantId, CAST(:payload AS jsonb),
              now() + make_interval(secs => :delaySeconds), :uniqueKey)
      ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND available_at <> 'infinity'
      DO NOTHING
      RETURNING id
      """)
  Optional<UUID> enqueue(
      @Bind("topic") String topic,
      @Bind("tenantId") String tenantId,
      @Bind("payload") String payloadJson,
      @Bind("delaySeconds") double delaySeconds,
      @Bind("uniqueKey") String uniqueKey);

  @SqlQuery(
      """
      UPDATE outbox_messages AS o
      SET attempts = o.attempts + 1,
          available_at = now() + make_interval(secs => :leaseSeconds)
      FROM (
          SELECT id
          FROM outbox_messages
          WHERE topic = :topic
            AND available_at <= now()
          ORDER BY available_at, id
          LIMIT :limit
          FOR UPDATE SKIP LOCKED
      ) AS due
      WHERE o.id = due.id
      RETURNING o.id, o.topic, o.tenant_id, o.payload::text AS payload, o.attempts
      """)
  List<ClaimedJob> claim(
      @Bind("topic") String topic,
      @Bind("leaseSeconds") double leaseSeconds,
      @Bind("limit") int limit);

  @SqlUpdate(
      """
      DELETE FROM outbox_messages
      WHERE id = :id
        AND attempts = :attempts
      """)
  int complete(@Bind("id") UUID id, @Bind("attempts") int attempts);

  @SqlUpdate(
      """
      UPDATE outbox_messages
      SET available_at = now() + make_interval(secs => :delaySeconds),
          attempts = GREATEST(0, attempts - :refund),
          last_error = :error
      WHERE id = :id
        AND attempts = :attempts
      """)
  int reschedule(
      @Bind("id") UUID id,
      @Bind("attempts") int attempts,
      @Bind("delaySeconds") double delaySeconds,
      @Bind("refund") int refund,
      @Bind("error") String error);

  @SqlUpdate(
      """
      UPDATE outbox_messages
      SET available_at = 'infinity',
          last_error = :error
      WHERE id = :id
        AND attempts = :attempts
      """)
  int park(@Bind("id") UUID id, @Bind("attempts") int attempts, @Bind("error") String error);

  /** Jobs of the topic not parked, and the age in seconds of the oldest due one (0 if none). */
  @SqlQuery(
      """
      SELECT count(*) AS depth,
             COALESCE(EXTRACT(EPOCH FROM now() - min(available_at) FILTER (
                 WHERE available_at <= now())), 0) AS oldest_due_seconds
      FROM outbox_messages
      WHERE topic = :topic
        AND available_at <> 'infinity'
      """)
  @RegisterConstructorMapper(TopicDepth.class)
  TopicDepth depth(@Bind("topic") String topic);

  /** The queue depth of one topic. */
  record TopicDepth(long depth, double oldestDueSeconds) {}
}
