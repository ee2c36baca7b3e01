package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.feedbackhub.tenant.RecordsPurgeFixtures.count;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.feedbackhub.core.RecordsPurgeService;
import org.feedbackhub.core.RecordsPurgeService.Accepted;
import org.feedbackhub.core.TenantPurgeService.Origin;
import org.feedbackhub.db.RecordsPurgeBatchDao;
import org.feedbackhub.db.RecordsPurgeRow;
import org.feedbackhub.events.RecordsPurgeWorker;
import org.feedbackhub.jobs.Backoff;
import org.feedbackhub.jobs.JobQueue;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestTags;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The records-only purge worker turn by turn, driven by the test ({@link
 * RecordsPurgeWorker#runOne}) while the application's own worker is off: a batch refused the lock
 * is retried after the backoff; between two batches the job is handed back and the tenant's writes
 * get in; after the last attempt the job is parked and the purge recorded failed; two workers on
 * one database share one job and finish it with exact counts.
 */
@Tag(TestTags.CONCURRENCY)
class RecordsPurgeWorkerIT {
  static final HubApp APP =
      HubApp.builder()
          .set("webhooks.dispatcherEnabled", "false")
          .set("recordsPurge.workerEnabled", "false")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  /** One batch per claim, so every turn ends between two batches. */
  private static final RecordsPurgeWorker.Settings ONE_BATCH_A_TURN =
      new RecordsPurgeWorker.Settings(
          5,
          new Backoff(Duration.ofSeconds(30), Duration.ofSeconds(30)),
          Duration.ofMinutes(1),
          Duration.ZERO,
          Duration.ofMillis(20));

  private static PgProbe probe;

  @BeforeAll
  static void start() {
    probe = new PgProbe();
  }

  @AfterAll
  static void stop() throws Exception {
    probe.close();
  }

  /** A worker with its own queue and service over the test database: one instance. */
  private record Instance(
      RecordsPurgeService purges, RecordsPurgeWorker worker, MetricRegistry metrics) {
    static Instance of(Duration lockTimeout, RecordsPurgeWorker.Settings settings) {
      Jdbi jdbi = RecordsPurgeFixtures.jdbi();
      MetricRegistry metrics = new MetricRegistry();
      JobQueue queue = new JobQueue(jdbi, RecordsPurgeWorker.TOPIC, metrics);
      TenantWriteLock lock = new TenantWriteLock(new TenantConflictMetrics(metrics), metrics);
      RecordsPurgeService purges =
          new RecordsPurgeService(
              jdbi,
              lock,
              lockTimeout,
              metrics,
              "feedback-hub-lock-monitor",
              RecordsPurgeWorker.enqueuer(queue));
      return new Instance(purges, new RecordsPurgeWorker(queue, purges, settings), metrics);
    }
  }

  @Test
  void aRefusedBatchWaitsTheBackoffAndWritersGetInBetweenBatches() throws Exception {
    Instance instance = Instance.of(Duration.ofSeconds(1), ONE_BATCH_A_TURN);
    String tenant = TenantIds.fresh("worker");
    int total = RecordsPurgeBatchDao.BATCH + 300;
    RecordsPurgeFixtures.fill(tenant, total, 10);
    Accepted accepted = instance.purges().accept(tenant, Origin.API);

    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      assertThat(instance.worker().runOne()).isTrue();
    }
    assertThat(jobDueInSeconds(tenant)).as("due again after the backoff").isGreaterThan(20);
    assertThat(lastError(tenant)).contains("did not drain");
    RecordsPurgeRow refused = instance.purges().find(accepted.purgeId()).orElseThrow();
    assertThat(refused.state()).isEqualTo(RecordsPurgeRow.RUNNING);
    assertThat(refused.batchesDone()).isZero();
    assertThat(refused.attempts()).isEqualTo(1);
    assertThat(instance.worker().runOne()).as("nothing due during the backoff").isFalse();

    makeDue(tenant);
    assertThat(instance.worker().runOne()).isTrue();
    RecordsPurgeRow between = instance.purges().find(accepted.purgeId()).orElseThrow();
    assertThat(between.batchesDone()).isEqualTo(1);
    assertThat(jobDueInSeconds(tenant)).as("handed back, due at once").isLessThanOrEqualTo(0);
    assertThat(probe.tenantLocks(tenant, "ExclusiveLock", true)).isZero();
    String createdBetween = Hub.createRecord(APP, tenant);

    while (instance.worker().runOne()) {
      // the remaining batches and the last step
    }
    RecordsPurgeRow done = instance.purges().find(accepted.purgeId()).orElseThrow();
    assertThat(done.state()).isEqualTo(RecordsPurgeRow.COMPLETED);
    assertThat(done.attempts()).as("turns between batches are no attempts").isEqualTo(2);
    assertThat(done.batchesDone()).isEqualTo(2);
    assertThat(done.deletedFeedbackRecords()).isEqualTo(total);
    assertThat(done.deletedEmbeddings()).isEqualTo(10);
    assertThat(Hub.get(APP, "/v1/feedback-records/" + createdBetween).status()).isEqualTo(200);
    assertThat(jobs(tenant)).isZero();
  }

  @Test
  void afterTheLastAttemptTheJobIsParkedAndThePurgeFailed() throws Exception {
    Instance instance = Instance.of(Duration.ofMillis(1), ONE_BATCH_A_TURN);
    String tenant = TenantIds.fresh("worker-fail");
    RecordsPurgeFixtures.fill(tenant, 20, 0);
    Accepted accepted = instance.purges().accept(tenant, Origin.API);

    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      for (int attempt = 1; attempt <= 5; attempt++) {
        assertThat(instance.worker().runOne()).as("attempt %d", attempt).isTrue();
        makeDue(tenant);
      }
      assertThat(instance.worker().runOne()).as("parked: never due").isFalse();
    }

    RecordsPurgeRow failed = instance.purges().find(accepted.purgeId()).orElseThrow();
    assertThat(failed.state()).isEqualTo(RecordsPurgeRow.FAILED);
    assertThat(failed.attempts()).isEqualTo(5);
    assertThat(failed.error()).contains("after 5 attempts");
    assertThat(failed.finishedAt()).isNotNull();
    assertThat(count("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant))
        .isEqualTo(20);
    assertThat(
            instance
                .metrics()
                .counter(RecordsPurgeService.outcomeMetric(RecordsPurgeRow.FAILED))
                .getCount())
        .isEqualTo(1);
    Accepted again = instance.purges().accept(tenant, Origin.API);
    assertThat(again.joined()).as("a failed purge is not joined").isFalse();
    assertThat(again.purgeId()).isNotEqualTo(accepted.purgeId());
  }

  @Test
  void twoInstancesShareOneJobAndFinishItWithExactCounts() throws Exception {
    Instance first = Instance.of(Duration.ofSeconds(5), ONE_BATCH_A_TURN);
    Instance second = Instance.of(Duration.ofSeconds(5), ONE_BATCH_A_TURN);
    String tenant = TenantIds.fresh("worker-two");
    int total = 3 * RecordsPurgeBatchDao.BATCH + 1;
    RecordsPurgeFixtures.fill(tenant, total, 5);
    Accepted accepted = first.purges().accept(tenant, Origin.API);
    assertThat(second.purges().accept(tenant, Origin.API).purgeId()).isEqualTo(accepted.purgeId());
    assertThat(jobs(tenant)).isEqualTo(1);

    AtomicBoolean done = new AtomicBoolean();
    CompletableFuture<?> a = CompletableFuture.runAsync(() -> turns(first, done));
    CompletableFuture<?> b = CompletableFuture.runAsync(() -> turns(second, done));
    await("purge completed")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                first.purges().find(accepted.purgeId()).orElseThrow().state().equals("completed"));
    done.set(true);
    a.get(10, TimeUnit.SECONDS);
    b.get(10, TimeUnit.SECONDS);

    RecordsPurgeRow row = first.purges().find(accepted.purgeId()).orElseThrow();
    assertThat(row.batchesDone()).isEqualTo(4);
    assertThat(row.deletedFeedbackRecords()).isEqualTo(total);
    assertThat(row.deletedEmbeddings()).isEqualTo(5);
    assertThat(jobs(tenant)).isZero();
  }

  private static void turns(Instance instance, AtomicBoolean done) {
    while (!done.get()) {
      instance.worker().runOne();
      Thread.onSpinWait();
    }
  }

  private static long jobs(String tenant) {
    return count(
        "SELECT count(*) FROM outbox_messages WHERE tenant_id = ? AND topic = 'records_purge'",
        tenant);
  }

  private static long jobDueInSeconds(String tenant) {
    return count(
        "SELECT floor(extract(epoch FROM available_at - now()))::bigint FROM outbox_messages"
            + " WHERE tenant_id = ? AND topic = 'records_purge'",
        tenant);
  }

  private static String lastError(String tenant) {
    return Db.queryStrings(
            "SELECT last_error FROM outbox_messages WHERE tenant_id = ? AND topic = 'records_purge'",
            tenant)
        .get(0);
  }

  private static void makeDue(String tenant) {
    Db.execute(
        "UPDATE outbox_messages SET available_at = now() WHERE tenant_id = ?"
            + " AND topic = 'records_purge' AND available_at <> 'infinity'",
        tenant);
  }
}
