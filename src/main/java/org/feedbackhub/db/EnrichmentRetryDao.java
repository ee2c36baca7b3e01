package org.feedbackhub.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The enrichment retry's one statement per kind; run in a transaction that holds the tenant's
 * shared write lock.
 */
@RegisterConstructorMapper(EnrichmentRetryDao.Outcome.class)
public interface EnrichmentRetryDao {
  /**
   * {@code claimed}: the cooldown allowed it and {@code cleared} terminal markers were deleted;
   * otherwise {@code retryAfterSeconds} until the cooldown ends (rounded up).
   */
  record Outcome(boolean claimed, long cleared, Long retryAfterSeconds) {}

  /**
   * Starts the (tenant, kind) cooldown unless one is running and, only then, deletes the tenant's
   * terminal failure markers of the kind, so the reconcile sweep picks their records up again.
   *
   * @implNote Two retries at once serialise on the cooldown row: the second re-checks the {@code
   *     WHERE} of its {@code ON CONFLICT} against the first's new {@code cleared_at}, claims
   *     nothing and deletes nothing. Its own snapshot may still show the older row, so the caller
   *     treats a missing or non-positive wait as the whole cooldown or at least one second.
   */
  @SqlQuery(
      """
      WITH claimed AS (
          INSERT INTO enrichment_retry_cooldowns AS c (tenant_id, enrichment, cleared_at)
          VALUES (:tenantId, :enrichment, now())
          ON CONFLICT (tenant_id, enrichment) DO UPDATE
          SET cleared_at = now()
          WHERE c.cleared_at <= now() - make_interval(secs => :cooldownSeconds)
          RETURNING cleared_at
      ),
      cleared AS (
          DELETE FROM feedback_record_enrichment_failures
          WHERE tenant_id = :tenantId
            AND enrichment = :enrichment
            AND terminal
            AND EXISTS (SELECT 1 FROM claimed)
          RETURNING 1
      )
      SELECT
          EXISTS (SELECT 1 FROM claimed) AS claimed,
          (SELECT count(*) FROM cleared) AS cleared,
          (SELECT CAST(ceil(extract(epoch FROM
                      c.cleared_at + make_interval(secs => :cooldownSeconds) - clock_timestamp()))
                  AS bigint)
           FROM enrichment_retry_cooldowns c
           WHERE c.tenant_id = :tenantId AND c.enrichment = :enrichment) AS retry_after_seconds
      """)
  Outcome clearTerminal(
      @Bind("tenantId") String tenantId,
      @Bind("enrichment") String enrichment,
      @Bind("cooldownSeconds") long cooldownSeconds);
}
