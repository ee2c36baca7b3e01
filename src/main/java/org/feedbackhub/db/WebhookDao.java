package org.feedbackhub.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The {@code webhooks} table. Every mutation writes its {@code webhook.*} outbox event in the same
 * statement (a data-modifying CTE over the changed row), so a write and its event commit together.
 *
 * @implNote Event {@code data} is built in SQL as {@code jsonb_strip_nulls(to_jsonb(row) -
 *     'signing_key')}, the same way feedback record events are built, so the key never reaches an
 *     outbox payload. Updates and deletes match {@code tenant_id IS NOT DISTINCT FROM :resolved}:
 *     the tenant may have changed since it was resolved (and may be NULL on legacy rows); no row
 *     back then means "modified concurrently", not "not found".
 */
@RegisterRowMapper(WebhookRowMapper.class)
public interface WebhookDao {
  /**
   * The gated insert: inserts the webhook and its {@code webhook.created} event only when the
   * tenant's shared write lock is granted, in one statement (so the lock lives exactly as long as
   * the insert). Empty when the lock was refused.
   */
  @SqlQuery(
      """
      WITH inserted AS (
        INSERT INTO webhooks (url, signing_key, enabled, tenant_id, event_types)
        SELECT :url, :signingKey, :enabled, :tenantId, CAST(:eventTypes AS varchar(64)[])
        WHERE
        """
          + TenantWriteLock.GATE
          + "\n"
          + """
        RETURNING *
      ), event AS (
        INSERT INTO outbox_messages (topic, event_type, tenant_id, payload)
        SELECT 'event', 'webhook.created', inserted.tenant_id,
               jsonb_build_object('data', jsonb_strip_nulls(to_jsonb(inserted) - 'signing_key'))
        FROM inserted
      )
      SELECT *
      FROM inserted
      """)
  Optional<WebhookRow> insertGated(
      @Bind("url") String url,
      @Bind("signingKey") String signingKey,
      @Bind("enabled") boolean enabled,
      @Bind("tenantId") String tenantId,
      @Bind("eventTypes") String[] eventTypes,
      @Bind("lockKey") String lockKey);

  @SqlQuery("SELECT count(*) FROM webhooks")
  long countAll();

  /**
   * Serializes webhook creates across every instance until the transaction ends, so the global
   * count limit is checked and the row inserted as one step.
   *
   * @implNote A fixed advisory key, transaction-scoped and waiting. It is taken before the gated
   *     insert's tenant try-lock and holds no row lock, so a create waiting here blocks neither a
   *     writer nor a purge.
   */
  @SqlQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended('webhooks|count_limit', 0))")
  int lockCountLimit();

  @SqlQuery(
      """
      SELECT *
      FROM webhooks
      WHERE id = :id
      """)
  Optional<WebhookRow> findById(@Bind("id") UUID id);

  /** One keyset page in {@code created_at DESC, id ASC} order; null filters match everything. */
  @SqlQuery(
      """
      SELECT *
      FROM webhooks
      WHERE (CAST(:tenantId AS varchar) IS NULL OR tenant_id = :tenantId)
        AND (CAST(:enabled AS boolean) IS NULL OR enabled = :enabled)
        AND (CAST(:afterTime AS timestamptz) IS NULL
             OR created_at < :afterTime
             OR (created_at = :afterTime AND id > :afterId))
      ORDER BY created_at DESC, id ASC
      LIMIT :limit
      """)
  List<WebhookRow> list(
      @Bind("tenantId") String tenantId,
      @Bind("enabled") Boolean enabled,
      @Bind("afterTime") Instant afterTime,
      @Bind("afterId") UUID afterId,
      @Bind("limit") int limit);

  /**
   * Applies a PATCH and writes its {@code webhook.updated} event (carrying the new tenant and the
   * changed fields). Null arguments leave a column unchanged; {@code setTenant}/{@code
   * setEventTypes} say whether those two are set (an empty filter is stored as NULL). Re-enabling
   * clears {@code disabled_reason} and {@code disabled_at}.
   */
  @SqlQuery(
      """
      WITH updated AS (
        UPDATE webhooks
        SET url = COALESCE(CAST(:url AS varchar), url),
            signing_key = COALESCE(CAST(:signingKey AS varchar), signing_key),
            enabled = COALESCE(CAST(:enabled AS boolean), enabled),
            tenant_id = CASE WHEN :setTenant THEN CAST(:newTenantId AS varchar) ELSE tenant_id END,
            event_types = CASE WHEN :setEventTypes THEN CAST(:eventTypes AS varchar(64)[])
                               ELSE event_types END,
            disabled_reason = CASE WHEN CAST(:enabled AS boolean) IS TRUE THEN NULL
                                   ELSE disabled_reason END,
            disabled_at = CASE WHEN CAST(:enabled AS boolean) IS TRUE THEN NULL ELSE disabled_at END,
            updated_at = now()
        WHERE id = :id
          AND tenant_id IS NOT DISTINCT FROM CAST(:resolvedTenantId AS varchar)
        RETURNING *
      ), event AS (
        INSERT INTO outbox_messages (topic, event_type, tenant_id, payload)
        SELECT 'event', 'webhook.updated', updated.tenant_id,
               jsonb_build_object(
                 'data', jsonb_strip_nulls(to_jsonb(updated) - 'signing_key'),
                 'changed_fields', to_jsonb(CAST(:changedFields AS text[])))
        FROM updated
      )
      SELECT *
      FROM updated
      """)
  Optional<WebhookRow> update(
      @Bind("id") UUID id,
      @Bind("resolvedTenantId") String resolvedTenantId,
      @Bind("url") String url,
      @Bind("signingKey") String signingKey,
      @Bind("enabled") Boolean enabled,
      @Bind("setTenant") boolean setTenant,
      @Bind("newTenantId") String newTenantId,
      @Bind("setEventTypes") boolean setEventTypes,
      @Bind("eventTypes") String[] eventTypes,
      @Bind("changedFields") String[] changedFields);

  /**
   * The delivery worker's disable (max attempts, 410 Gone). It publishes no event, as in the
   * reference, where the worker writes through the repository rather than the service.
   */
  @SqlQuery(
      """
      UPDATE webhooks
      SET enabled = false,
          disabled_reason = :reason,
          disabled_at = now(),
          updated_at = now()
      WHERE id = :id
        AND tenant_id IS NOT DISTINCT FROM CAST(:resolvedTenantId AS varchar)
      RETURNING id
      """)
  Optional<UUID> disable(
      @Bind("id") UUID id,
      @Bind("resolvedTenantId") String resolvedTenantId,
      @Bind("reason") String reason);

  /** Deletes the webhook and writes {@code webhook.deleted} with {@code data = [id]}. */
  @SqlQuery(
      """
      WITH deleted AS (
        DELETE FROM webhooks
        WHERE id = :id
          AND tenant_id IS NOT DISTINCT FROM CAST(:resolvedTenantId AS varchar)
        RETURNING id, tenant_id
      ), event AS (
        INSERT INTO outbox_messages (topic, event_type, tenant_id, payload)
        SELECT 'event', 'webhook.deleted', deleted.tenant_id,
               jsonb_build_object('data', jsonb_build_array(deleted.id))
        FROM deleted
      )
      SELECT id
      FROM deleted
      """)
  Optional<UUID> delete(@Bind("id") UUID id, @Bind("resolvedTenantId") String resolvedTenantId);
}
