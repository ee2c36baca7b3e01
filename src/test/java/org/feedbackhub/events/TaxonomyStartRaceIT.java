package org.feedbackhub.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.core.TaxonomyRunLifecycle;
import org.feedbackhub.tenant.TenantConflictMetrics;
import org.feedbackhub.tenant.TenantWriteLock;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The reaper (played by this test on a raw connection) fails a run between the start worker's read
 * and its transition to running: an expected race, so the job is dropped and logged at INFO, not
 * retried as an error.
 */
@Tag("concurrency")
class TaxonomyStartRaceIT {
  @Test
  void aRunFailedBetweenTheReadAndTheTransitionDropsTheJob() throws Exception {
    Jdbi jdbi = Jdbi.create(TestDatabase.get().dataSource());
    TenantWriteLock lock =
        new TenantWriteLock(new TenantConflictMetrics(new MetricRegistry()), new MetricRegistry());
    TaxonomyStartWorker worker =
        new TaxonomyStartWorker(
            jdbi,
            new TaxonomyRunLifecycle(jdbi, lock, "m"),
            new TaxonomyStartWorker.Settings(
                "http://127.0.0.1:9",
                "token",
                3,
                Duration.ofMinutes(10),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5)));
    String tenant = TenantIds.fresh("race");
    String runId =
        Db.queryStrings(
                "INSERT INTO taxonomy_runs (tenant_id, source_type, field_id)"
                    + " VALUES (?, 's', 'f') RETURNING id",
                tenant)
            .get(0);
    Db.execute(
        "INSERT INTO outbox_messages (topic, event_type, tenant_id, payload)"
            + " VALUES ('taxonomy_start', 'taxonomy_run.start', ?,"
            + " jsonb_build_object('run_id', ?))",
        tenant,
        runId);
    Logger logger = (Logger) LoggerFactory.getLogger(TaxonomyStartWorker.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    Level configured = logger.getLevel();
    logger.setLevel(Level.INFO); // the test configuration logs WARN and up only

    try (Connection reaper = TestDatabase.get().rawConnection("feedback-hub-test-reaper")) {
      reaper.setAutoCommit(false);
      int pid;
      try (PreparedStatement ps =
          reaper.prepareStatement(
              "UPDATE taxonomy_runs SET status = 'failed', error_code = 'internal_error'"
                  + " WHERE id = CAST(? AS uuid) RETURNING pg_backend_pid()")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          pid = rs.getInt(1);
        }
      }
      CompletableFuture<Void> polled = CompletableFuture.runAsync(worker::poll);
      await("the worker's transition waits for the reaper")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(10))
          .until(
              () ->
                  Db.queryLong(
                          "SELECT count(*) FROM pg_stat_activity"
                              + " WHERE ? = ANY(pg_blocking_pids(pid))",
                          pid)
                      >= 1);
      reaper.commit();
      polled.get(30, TimeUnit.SECONDS);
    } finally {
      logger.detachAppender(logs);
      logger.setLevel(configured);
    }

    assertThat(Db.queryLong("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", tenant))
        .as("job dropped")
        .isZero();
    assertThat(logs.list)
        .filteredOn(e -> e.getFormattedMessage().contains(runId))
        .isNotEmpty()
        .allMatch(e -> e.getLevel() == Level.INFO);
  }
}
