package org.feedbackhub.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.feedbackhub.core.TaxonomyRunLifecycle;
import org.feedbackhub.db.TaxonomyDao;
import org.feedbackhub.tenant.TenantWriteConflictException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails taxonomy runs that stopped heartbeating ({@code TAXONOMY_STUCK_RUN_TIMEOUT_SECONDS}), every
 * {@code TAXONOMY_REAPER_INTERVAL_SECONDS}. Staleness is re-checked under the tenant lock; a run
 * whose tenant is being purged is skipped (the purge deletes it anyway).
 */
public final class TaxonomyReaper extends PollingWorker {
  private static final Logger LOG = LoggerFactory.getLogger(TaxonomyReaper.class);
  private static final int BATCH = 100;

  private final Jdbi jdbi;
  private final TaxonomyRunLifecycle runs;
  private final long timeoutSeconds;

  public TaxonomyReaper(
      Jdbi jdbi, TaxonomyRunLifecycle runs, long timeoutSeconds, long intervalSeconds) {
    super(
        "taxonomy-reaper",
        Duration.ofSeconds(intervalSeconds),
        Duration.ofSeconds(intervalSeconds));
    this.jdbi = jdbi;
    this.runs = runs;
    this.timeoutSeconds = timeoutSeconds;
  }

  @Override
  void poll() {
    try {
      reapOnce();
    } catch (RuntimeException e) {
      PollFailures.log(LOG, "taxonomy reaper round", e);
    }
  }

  /** One round; returns how many runs it failed. */
  public int reapOnce() {
    List<Map.Entry<UUID, String>> stale =
        jdbi.withHandle(h -> new TaxonomyDao(h).staleRuns(timeoutSeconds, BATCH));
    int failed = 0;
    for (Map.Entry<UUID, String> run : stale) {
      try {
        if (runs.failIfStale(run.getKey(), run.getValue(), timeoutSeconds)) {
          failed++;
          LOG.warn("taxonomy run {} failed: no heartbeat for {} s", run.getKey(), timeoutSeconds);
        }
      } catch (TenantWriteConflictException e) {
        LOG.warn("taxonomy run {} skipped: tenant data purge in progress", run.getKey());
      }
    }
    return failed;
  }
}
