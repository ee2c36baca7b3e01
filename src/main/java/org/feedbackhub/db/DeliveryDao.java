package org.feedbackhub.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The outbox dispatcher's tables: claims {@code outbox_messages} events and fans them out into
 * {@code webhook_deliveries}, then leases due deliveries and records each attempt in {@code
 * webhook_delivery_attempts}. Every row carries the event's {@code tenant_id}, so a tenant purge
 * can delete whatever of the tenant is still undelivered.
 *
 * @implNote Claims use {@code FOR UPDATE SKIP LOCKED}, so any number of instances share the work
 *     without waiting on each other. A batch of events is fanned out and deleted in one transaction
 *     that holds their row locks, so each is fanned out exactly once. A delivery is leased by
 *     moving its {@code next_attempt_at} past the HTTP timeout; recording an attempt requires the
 *     attempt count the lease saw, so a late or duplicate result is never recorded twice.
 */
@RegisterConstructorMapper(DeliveryDao.OutboxEvent.class)
@RegisterConstructorMapper(DeliveryDao.ClaimedDelivery.class)
@RegisterConstructorMapper(DeliveryDao.OutboxStats.class)
public interface DeliveryDao {
  /** An event row of the outbox; its id is the event id, its creation time the event time. */
  record OutboxEvent(
      UUID id, String eventType, String tenantId, String payload, Instant createdAt) {}

  /** A leased delivery: {@code attempts} is the count before this attempt. */
  record ClaimedDelivery(
      UUID id,
      UUID eventId,
      UUID webhookId,
      String tenantId,
      String eventType,
      String payload,
      int attempts) {}

  /** Undelivered events and how old the oldest is. */
  record OutboxStats(long depth, double oldestAgeSeconds, long pendingDeliveries) {}

  /**
   * Up to {@code limit} of the oldest available events, row-locked for this transaction; skips rows
   * other transactions hold.
   */
  @SqlQuery(
      """
      SELECT id, event_type, tenant_id, payload::text AS payload, created_at
      FROM outbox_messages
      WHERE topic = 'event'
        AND available_at <= now()
      ORDER BY available_at, id
      LIMIT :limit
      FOR UPDATE SKIP LOCKED
      """)
  List<OutboxEvent> claimEvents(@Bind("limit") int limit);

  /**
   * Which of {@code tenantIds} have at least one enabled webhook: events of the others are removed
   * without looking at their payload.
   */
  @SqlQuery(
      """
      SELECT DISTINCT tenant_id
      FROM webhooks
      WHERE enabled
        AND tenant_id = ANY(CAST(:tenantIds AS text[]))
      """)
  Set<String> tenantsWithEnabledWebhooks(@Bind("tenantIds") String[] tenantIds);

  /**
   * The enabled webhooks of exactly {@code tenantId} that take {@code eventType} (an empty or NULL
   * filter takes all), in id order after {@code afterId}: one fan-out batch.
   */
  @SqlQuery(
      """
      SELECT id
      FROM webhooks
      WHERE enabled
        AND tenant_id = :tenantId
        AND (event_types IS NULL OR cardinality(event_types) = 0 OR :eventType = ANY(event_types))
        AND (CAST(:afterId AS uuid) IS NULL OR id > :afterId)
      ORDER BY id
      LIMIT :limit
      """)
  List<UUID> matchingWebhooks(
      @Bind("tenantId") String tenantId,
      @Bind("eventType") String eventType,
      @Bind("afterId") UUID afterId,
      @Bind("limit") int limit);

  @SqlUpdate(
      """
      INSERT INTO webhook_deliveries (event_id, webhook_id, tenant_id, event_type, payload)
      SELECT :eventId, webhook_id, :tenantId, :eventType, CAST(:payload AS jsonb)
      FROM unnest(CAST(:webhookIds AS uuid[])) AS webhook_id
      ON CONFLICT (event_id, webhook_id) DO NOTHING
      """)
  int insertDeliveries(
      @Bind("eventId") UUID eventId,
      @Bind("webhookIds") UUID[] webhookIds,
      @Bind("tenantId") String tenantId,
      @Bind("eventType") String eventType,
      @Bind("payload") String payload);

  @SqlUpdate(
      """
      DELETE FROM outbox_messages
      WHERE id = ANY(CAST(:ids AS uuid[]))
      """)
  int deleteEvents(@Bind("ids") UUID[] ids);

  /** Parks an event that cannot be fanned out, with its error, until {@code delaySeconds} pass. */
  @SqlUpdate(
      """
      UPDATE outbox_messages
      SET attempts = attempts + 1,
          last_error = :error,
          available_at = now() + make_interval(secs => :delaySeconds)
      WHERE id = :id
      """)
  int parkEvent(
      @Bind("id") UUID id, @Bind("error") String error, @Bind("delaySeconds") double delaySeconds);

  /** Leases up to {@code limit} due deliveries for {@code leaseSeconds}. */
  @SqlQuery(
      """
      UPDATE webhook_deliveries AS d
      SET next_attempt_at = now() + make_interval(secs => :leaseSeconds),
          updated_at = now()
      FROM (
        SELECT id
        FROM webhook_deliveries
        WHERE status = 'pending'
          AND next_attempt_at <= now()
        ORDER BY next_attempt_at, id
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
      ) AS due
      WHERE d.id = due.id
      RETURNING d.id, d.event_id, d.webhook_id, d.tenant_id, d.event_type,
                d.payload::text AS payload, d.attempts
      """)
  List<ClaimedDelivery> claimDue(
      @Bind("leaseSeconds") double leaseSeconds, @Bind("limit") int limit);

  /**
   * Records attempt number {@code attempt} and the delivery's new state in one statement. Empty
   * when the delivery is gone (purged, webhook deleted) or was already recorded by another worker.
   */
  @SqlQuery(
      """
      WITH updated AS (
        UPDATE webhook_deliveries
        SET attempts = :attempt,
            status = :status,
            next_attempt_at = now() + make_interval(secs => :retryDelaySeconds),
            last_status_code = :statusCode,
            last_error = :error,
            updated_at = now()
        WHERE id = :id
          AND attempts = :attempt - 1
          AND status = 'pending'
        RETURNING id, tenant_id
      )
      INSERT INTO webhook_delivery_attempts
        (delivery_id, tenant_id, attempt, outcome, status_code, duration_ms, error)
      SELECT id, tenant_id, :attempt, :outcome, :statusCode, :durationMs, :error
      FROM updated
      RETURNING delivery_id
      """)
  Optional<UUID> recordAttempt(
      @Bind("id") UUID id,
      @Bind("attempt") int attempt,
      @Bind("status") String status,
      @Bind("outcome") String outcome,
      @Bind("retryDelaySeconds") double retryDelaySeconds,
      @Bind("statusCode") Integer statusCode,
      @Bind("durationMs") int durationMs,
      @Bind("error") String error);

  /** Closes a delivery that will not be sent (webhook disabled, moved or unsubscribed). */
  @SqlUpdate(
      """
      UPDATE webhook_deliveries
      SET status = 'skipped',
          last_error = :reason,
          updated_at = now()
      WHERE id = :id
        AND attempts = :attempts
        AND status = 'pending'
      """)
  int markSkipped(
      @Bind("id") UUID id, @Bind("attempts") int attempts, @Bind("reason") String reason);

  @SqlQuery(
      """
      SELECT (SELECT count(*) FROM outbox_messages WHERE topic = 'event') AS depth,
             COALESCE((SELECT EXTRACT(EPOCH FROM now() - min(created_at))
                       FROM outbox_messages WHERE topic = 'event'), 0) AS oldest_age_seconds,
             (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending') AS pending_deliveries
      """)
  OutboxStats stats();
}
