package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.feedbackhub.tenant.RecordsPurgeFixtures.count;
import static org.feedbackhub.tenant.RecordsPurgeFixtures.recordsAtOrBelow;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.core.RecordsPurgeService;
import org.feedbackhub.core.RecordsPurgeService.Accepted;
import org.feedbackhub.core.RecordsPurgeService.BatchResult;
import org.feedbackhub.core.TenantPurgeService.Origin;
import org.feedbackhub.db.RecordsPurgeBatchDao;
import org.feedbackhub.db.RecordsPurgeRow;
import org.feedbackhub.tenant.RecordsPurgeFixtures.Filled;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.feedbackhub.testing.TestTags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whole attempts of a records-only purge: an attempt whose batch dies mid-way leaves that batch
 * rolled back and the counts of the committed ones exact, and the next attempt finishes with the
 * same mark; between batches the purge pauses while other sessions are busy.
 */
@Tag(TestTags.CONCURRENCY)
class RecordsPurgeAttemptIT {
  static final HubApp APP = HubApp.builder().set("webhooks.dispatcherEnabled", "false").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private static PgProbe probe;

  @BeforeAll
  static void start() {
    probe = new PgProbe();
  }

  @AfterAll
  static void stop() throws Exception {
    probe.close();
  }

  @Test
  void attemptKilledMidBatchRollsThatBatchBackAndTheNextResumesWithTheSameMark() throws Exception {
    MetricRegistry metrics = new MetricRegistry();
    RecordsPurgeService purges = RecordsPurgeFixtures.service(Duration.ofSeconds(5), metrics);
    String tenant = TenantIds.fresh("rp-kill");
    int total = RecordsPurgeBatchDao.BATCH + 500;
    Filled filled = RecordsPurgeFixtures.fill(tenant, total, 30);
    Accepted accepted = purges.accept(tenant, Origin.API, (h, id, t) -> {});
    List<Duration> pauses = new ArrayList<>();

    CompletableFuture<?> attempt;
    long committedBeforeKill;
    try (HeldRowLock row = HeldRowLock.onRecord(filled.recordIds().get(total / 2))) {
      attempt =
          CompletableFuture.runAsync(
              () -> {
                try {
                  purges.runAttempt(accepted.purgeId(), pauses::add);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      probe.awaitBlockedBy(row.pid());
      committedBeforeKill = purges.find(accepted.purgeId()).orElseThrow().deletedFeedbackRecords();
      long purgePid =
          count("SELECT pid FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))", row.pid());
      assertThat(probe.terminate((int) purgePid)).isTrue();
      await("attempt ended").atMost(PgProbe.DEADLINE).until(attempt::isDone);
    }
    assertThat(attempt).isCompletedExceptionally();

    RecordsPurgeRow interrupted = purges.find(accepted.purgeId()).orElseThrow();
    assertThat(interrupted.state()).isEqualTo(RecordsPurgeRow.RUNNING);
    assertThat(interrupted.deletedFeedbackRecords())
        .as("only committed batches count")
        .isEqualTo(committedBeforeKill)
        .isEqualTo(RecordsPurgeBatchDao.BATCH * (long) interrupted.batchesDone());
    assertThat(recordsAtOrBelow(tenant, accepted.highWaterMark()))
        .as("the killed batch rolled back")
        .isEqualTo(total - committedBeforeKill);
    assertThat(probe.tenantLocks(tenant, "ExclusiveLock", true)).isZero();

    RecordsPurgeRow done = purges.runAttempt(accepted.purgeId(), pauses::add).orElseThrow();

    assertThat(done.state()).isEqualTo(RecordsPurgeRow.COMPLETED);
    assertThat(done.highWaterMark()).isEqualTo(accepted.highWaterMark());
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.batchesDone()).isEqualTo(2);
    assertThat(done.deletedFeedbackRecords()).isEqualTo(total);
    assertThat(done.deletedEmbeddings()).isEqualTo(30);
    assertThat(done.deletedTaxonomyClusterMemberships()).isEqualTo(30);
    assertThat(done.deletedPendingMessages()).isEqualTo(filled.pendingMessages());
    assertThat(recordsAtOrBelow(tenant, accepted.highWaterMark())).isZero();
    assertThat(count("SELECT count(*) FROM webhooks WHERE tenant_id = ?", tenant)).isEqualTo(1);
    assertThat(probe.advisoryLocksOf(RecordsPurgeFixtures.APPLICATION_NAME)).isZero();
    assertThat(probe.idleInTransaction(RecordsPurgeFixtures.APPLICATION_NAME)).isZero();
    assertThat(purges.runAttempt(accepted.purgeId(), pauses::add))
        .as("a completed purge has no further attempt")
        .isEmpty();
  }

  @Test
  void pausesAfterABatchOnlyWhileAnotherSessionIsBusy() throws Exception {
    MetricRegistry metrics = new MetricRegistry();
    RecordsPurgeService purges = RecordsPurgeFixtures.service(Duration.ofSeconds(5), metrics);
    BatchResult batch = new BatchResult(2000, Duration.ZERO, Duration.ofMillis(40));

    Duration idle = purges.pauseAfter(batch);
    Duration busy;
    try (Connection c = TestDatabase.get().rawConnection("feedback-hub-test-busy");
        Statement s = c.createStatement()) {
      CompletableFuture<Void> running =
          CompletableFuture.runAsync(
              () -> {
                try {
                  s.execute("SELECT pg_sleep(600)");
                } catch (SQLException cancelled) {
                  // cancelled below
                }
              });
      await("busy session running")
          .atMost(PgProbe.DEADLINE)
          .until(() -> probe.active("feedback-hub-test-busy") == 1);
      busy = purges.pauseAfter(batch);
      s.cancel();
      running.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    }

    assertThat(idle).isZero();
    assertThat(busy).isEqualTo(Duration.ofMillis(80));
    assertThat(purges.pauseAfter(new BatchResult(0, Duration.ZERO, Duration.ofMillis(5)))).isZero();
    assertThat(metrics.counter(RecordsPurgeService.PAUSED_BATCHES).getCount()).isEqualTo(1);
  }
}
