package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.feedbackhub.tenant.RecordsPurgeFixtures.count;
import static org.feedbackhub.tenant.RecordsPurgeFixtures.recordsAtOrBelow;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.api.ProblemCode;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.core.RecordsPurgeService;
import org.feedbackhub.core.RecordsPurgeService.Accepted;
import org.feedbackhub.core.RecordsPurgeService.BatchResult;
import org.feedbackhub.core.TenantPurgeService.Origin;
import org.feedbackhub.db.RecordsPurgeBatchDao;
import org.feedbackhub.db.RecordsPurgeRow;
import org.feedbackhub.tenant.Hub.Reply;
import org.feedbackhub.tenant.RecordsPurgeFixtures.Filled;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestTags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The records-only purge batch by batch, driven by the test itself against real PostgreSQL: each
 * batch under the tenant's exclusive lock and bounded by the purge lock timeout, the lock free
 * between batches, the high-water mark honoured, the counts exact, and what is not the tenant's
 * records (other tenants, its webhooks and settings) untouched.
 */
@Tag(TestTags.CONCURRENCY)
class RecordsPurgeBatchIT {
  /** Enough records for three batches, the last one partial. */
  private static final int RECORDS = 2 * RecordsPurgeBatchDao.BATCH + 300;

  private static final int EMBEDDED = 25;

  static final HubApp APP =
      HubApp.builder()
          .set("webhooks.dispatcherEnabled", "false")
          .set("tenantPurgeLockTimeoutSeconds", "1")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private static PgProbe probe;
  private MetricRegistry metrics;
  private RecordsPurgeService purges;

  @BeforeAll
  static void start() {
    probe = new PgProbe();
  }

  @AfterAll
  static void stop() throws Exception {
    probe.close();
  }

  private RecordsPurgeService purges() {
    if (purges == null) {
      metrics = new MetricRegistry();
      purges = RecordsPurgeFixtures.service(Duration.ofSeconds(1), metrics);
    }
    return purges;
  }

  @AfterEach
  void noLockOrTransactionLeft() {
    assertThat(probe.advisoryLocksOf(RecordsPurgeFixtures.APPLICATION_NAME))
        .as("advisory locks left by the purge")
        .isZero();
    assertThat(probe.idleInTransaction(RecordsPurgeFixtures.APPLICATION_NAME))
        .as("purge sessions left idle in a transaction")
        .isZero();
    assertThat(probe.idleInTransaction("feedback-hub")).isZero();
  }

  @Test
  void batchesDeleteEverythingAtOrBelowTheMarkAndWritersGetInBetween() {
    String tenant = TenantIds.fresh("rp");
    String other = TenantIds.fresh("rp-other");
    Filled filled = RecordsPurgeFixtures.fill(tenant, RECORDS, EMBEDDED);
    RecordsPurgeFixtures.fill(other, 5, 2);
    Accepted accepted = purges().accept(tenant, Origin.API, (h, id, t) -> {});
    assertThat(accepted.joined()).isFalse();
    UUID mark = accepted.highWaterMark();
    assertThat(mark.toString()).isEqualTo(newest(filled.recordIds()));
    String afterMark = createAfter(mark, tenant);

    RecordsPurgeRow running = purges().startAttempt(accepted.purgeId()).orElseThrow();
    assertThat(running.state()).isEqualTo(RecordsPurgeRow.RUNNING);
    assertThat(running.attempts()).isEqualTo(1);
    List<Integer> sizes = new ArrayList<>();
    List<String> createdBetween = new ArrayList<>();
    BatchResult batch;
    do {
      batch = purges().runBatch(accepted.purgeId(), tenant, mark);
      sizes.add(batch.records());
      if (!batch.nothingLeft()) {
        assertThat(probe.tenantLocks(tenant, "ExclusiveLock", true))
            .as("the lock is released between batches")
            .isZero();
        createdBetween.add(Hub.createRecord(APP, tenant));
      }
    } while (!batch.nothingLeft());
    RecordsPurgeRow done = purges().finish(accepted.purgeId(), tenant, mark).orElseThrow();

    assertThat(sizes).containsExactly(2000, 2000, 300, 0);
    assertThat(recordsAtOrBelow(tenant, mark)).as("records at or below the mark").isZero();
    assertThat(Hub.recordsOf(APP, tenant))
        .as("the record created after acceptance and those created between batches")
        .isEqualTo(1 + createdBetween.size());
    assertThat(Hub.get(APP, "/v1/feedback-records/" + afterMark).status()).isEqualTo(200);
    assertThat(done.state()).isEqualTo(RecordsPurgeRow.COMPLETED);
    assertThat(done.batchesDone()).isEqualTo(3);
    assertThat(done.deletedFeedbackRecords()).isEqualTo(filled.records());
    assertThat(done.deletedEmbeddings()).isEqualTo(filled.embeddings());
    assertThat(done.deletedTaxonomyClusterMemberships()).isEqualTo(filled.memberships());
    assertThat(done.deletedPendingMessages()).isEqualTo(filled.pendingMessages());
    assertThat(done.deletedPendingDeliveries()).isEqualTo(filled.pendingDeliveries());
    assertThat(done.deletedTaxonomyRuns()).isEqualTo(1);
    assertThat(done.deletedTaxonomyClusters()).isEqualTo(1);
    assertThat(done.deletedTaxonomyNodes()).isEqualTo(1);
    assertThat(done.deletedTaxonomyActiveRuns()).isEqualTo(1);
    assertThat(done.deletedTaxonomyNodeEvents()).isEqualTo(1);
    assertThat(done.finishedAt()).isNotNull();
    assertTaxonomyGone(tenant);
    assertKept(tenant, other);
    assertThat(metrics.counter(RecordsPurgeService.BATCHES).getCount()).isEqualTo(3);
    assertThat(metrics.counter(RecordsPurgeService.RECORDS_DELETED).getCount()).isEqualTo(RECORDS);
    assertThat(
            metrics
                .counter(RecordsPurgeService.outcomeMetric(RecordsPurgeRow.COMPLETED))
                .getCount())
        .isEqualTo(1);
    assertThat(metrics.timer(RecordsPurgeService.BATCH_LOCK_WAIT).getCount()).isEqualTo(5);
  }

  @Test
  void batchWaitsBoundedForAWriterInFlightAndReportsThatItGotNoLock() throws Exception {
    String tenant = TenantIds.fresh("rp");
    RecordsPurgeFixtures.fill(tenant, 10, 2);
    Accepted accepted = purges().accept(tenant, Origin.TASK, (h, id, t) -> {});
    purges().startAttempt(accepted.purgeId()).orElseThrow();

    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      long started = System.nanoTime();
      assertThatThrownBy(
              () -> purges().runBatch(accepted.purgeId(), tenant, accepted.highWaterMark()))
          .isInstanceOf(TenantWriteConflictException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("waited the purge lock timeout")
          .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    assertThat(count("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant))
        .isEqualTo(10);
    RecordsPurgeRow refused = purges().find(accepted.purgeId()).orElseThrow();
    assertThat(refused.state()).isEqualTo(RecordsPurgeRow.RUNNING);
    assertThat(refused.batchesDone()).isZero();
    assertThat(refused.deletedFeedbackRecords()).isZero();
    assertThat(refused.lockWaitMs()).isGreaterThanOrEqualTo(900);
    assertThat(metrics.counter(RecordsPurgeService.BATCHES_REFUSED).getCount()).isEqualTo(1);

    BatchResult retried = purges().runBatch(accepted.purgeId(), tenant, accepted.highWaterMark());
    assertThat(retried.records()).isEqualTo(10);
  }

  @Test
  void writersOfTheTenantFailFastWhileABatchIsQueuedAndOthersWrite() throws Exception {
    String tenant = TenantIds.fresh("rp");
    String other = TenantIds.fresh("rp-other");
    RecordsPurgeFixtures.fill(tenant, 10, 2);
    RecordsPurgeService slow =
        RecordsPurgeFixtures.service(Duration.ofSeconds(10), new MetricRegistry());
    Accepted accepted = slow.accept(tenant, Origin.API, (h, id, t) -> {});
    slow.startAttempt(accepted.purgeId()).orElseThrow();

    CompletableFuture<BatchResult> batch;
    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      batch =
          CompletableFuture.supplyAsync(
              () -> slow.runBatch(accepted.purgeId(), tenant, accepted.highWaterMark()));
      probe.awaitPurgeQueued(tenant);
      Reply refused = Hub.post(APP, "/v1/feedback-records", Hub.recordBody(tenant, "u"));
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.body().get("code").asText()).isEqualTo("tenant_write_conflict");
      Hub.createRecord(APP, other);
    }
    assertThat(batch.get(PgProbe.DEADLINE.toSeconds(), TimeUnit.SECONDS).records()).isEqualTo(10);
  }

  @Test
  void dataPurgeBetweenBatchesLeavesConsistentCounts() {
    String tenant = TenantIds.fresh("rp");
    int total = RecordsPurgeBatchDao.BATCH + 700;
    RecordsPurgeFixtures.fill(tenant, total, EMBEDDED);
    Accepted accepted = purges().accept(tenant, Origin.API, (h, id, t) -> {});
    purges().startAttempt(accepted.purgeId()).orElseThrow();

    BatchResult first = purges().runBatch(accepted.purgeId(), tenant, accepted.highWaterMark());
    Reply data = Hub.purge(APP, tenant);
    BatchResult second = purges().runBatch(accepted.purgeId(), tenant, accepted.highWaterMark());
    RecordsPurgeRow done =
        purges().finish(accepted.purgeId(), tenant, accepted.highWaterMark()).orElseThrow();

    assertThat(data.status()).isEqualTo(200);
    assertThat(first.records()).isEqualTo(RecordsPurgeBatchDao.BATCH);
    assertThat(second.nothingLeft()).isTrue();
    long byData = data.body().get("deleted_feedback_records").asLong();
    assertThat(done.deletedFeedbackRecords() + byData).isEqualTo(total);
    assertThat(done.deletedFeedbackRecords()).isEqualTo(RecordsPurgeBatchDao.BATCH);
    assertThat(done.deletedEmbeddings() + data.body().get("deleted_embeddings").asLong())
        .isEqualTo(EMBEDDED);
    assertThat(done.batchesDone()).isEqualTo(1);
    assertThat(done.deletedTaxonomyRuns()).as("the /data purge took the taxonomy").isZero();
    assertThat(count("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant)).isZero();
  }

  @Test
  void acceptJoinsTheTenantsActivePurgeAndStartsANewOneAfterItEnds() {
    String tenant = TenantIds.fresh("rp");
    RecordsPurgeFixtures.fill(tenant, 4, 0);
    List<UUID> enqueued = new ArrayList<>();
    Accepted first = purges().accept(tenant, Origin.API, (h, id, t) -> enqueued.add(id));
    Accepted joined =
        purges().accept("  " + tenant + " ", Origin.API, (h, id, t) -> enqueued.add(id));
    purges().startAttempt(first.purgeId()).orElseThrow();
    Accepted joinedRunning = purges().accept(tenant, Origin.TASK, (h, id, t) -> enqueued.add(id));

    assertThat(joined.joined()).isTrue();
    assertThat(joined.purgeId()).isEqualTo(first.purgeId());
    assertThat(joinedRunning.purgeId()).isEqualTo(first.purgeId());
    assertThat(enqueued).containsExactly(first.purgeId());

    purges().runBatch(first.purgeId(), tenant, first.highWaterMark());
    purges().finish(first.purgeId(), tenant, first.highWaterMark()).orElseThrow();
    Accepted next = purges().accept(tenant, Origin.API, (h, id, t) -> enqueued.add(id));
    assertThat(next.joined()).isFalse();
    assertThat(next.purgeId()).isNotEqualTo(first.purgeId());
    assertThat(next.highWaterMark()).as("no records left: no mark").isNull();
    assertThat(enqueued).containsExactly(first.purgeId(), next.purgeId());
  }

  @Test
  void emptyTenantCompletesInOneStepAndAFailedPurgeDeletesNothingMore() {
    String tenant = TenantIds.fresh("rp-empty");
    Accepted empty = purges().accept(tenant, Origin.API, (h, id, t) -> {});
    assertThat(empty.highWaterMark()).isNull();
    purges().startAttempt(empty.purgeId()).orElseThrow();
    assertThat(purges().runBatch(empty.purgeId(), tenant, null).nothingLeft()).isTrue();
    RecordsPurgeRow done = purges().finish(empty.purgeId(), tenant, null).orElseThrow();
    assertThat(done.state()).isEqualTo(RecordsPurgeRow.COMPLETED);
    assertThat(done.deletedFeedbackRecords()).isZero();

    String failing = TenantIds.fresh("rp");
    RecordsPurgeFixtures.fill(failing, 5, 0);
    Accepted accepted = purges().accept(failing, Origin.API, (h, id, t) -> {});
    purges().startAttempt(accepted.purgeId()).orElseThrow();
    purges().fail(accepted.purgeId(), "gave up after 5 attempts");
    assertThatThrownBy(
            () -> purges().runBatch(accepted.purgeId(), failing, accepted.highWaterMark()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(count("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", failing))
        .isEqualTo(5);
    assertThat(purges().startAttempt(accepted.purgeId())).isEmpty();
    RecordsPurgeRow failed = purges().find(accepted.purgeId()).orElseThrow();
    assertThat(failed.state()).isEqualTo(RecordsPurgeRow.FAILED);
    assertThat(failed.error()).isEqualTo("gave up after 5 attempts");
    assertThat(
            metrics.counter(RecordsPurgeService.outcomeMetric(RecordsPurgeRow.FAILED)).getCount())
        .isEqualTo(1);
  }

  @Test
  void finishRefusesWhileRecordsAtOrBelowTheMarkRemain() {
    String tenant = TenantIds.fresh("rp");
    RecordsPurgeFixtures.fill(tenant, 4, 0);
    Accepted accepted = purges().accept(tenant, Origin.API, (h, id, t) -> {});
    purges().startAttempt(accepted.purgeId()).orElseThrow();

    Optional<RecordsPurgeRow> early =
        purges().finish(accepted.purgeId(), tenant, accepted.highWaterMark());

    assertThat(early).isEmpty();
    assertThat(count("SELECT count(*) FROM taxonomy_runs WHERE tenant_id = ?", tenant))
        .as("the tree stands while records do")
        .isEqualTo(1);
    assertThat(purges().find(accepted.purgeId()).orElseThrow().state())
        .isEqualTo(RecordsPurgeRow.RUNNING);
  }

  @Test
  void badTenantIdIsAValidationProblemAndAcceptsNothing() {
    long before = count("SELECT count(*) FROM tenant_records_purges");
    for (String bad : new String[] {"", "   ", "a\u0000b", "x".repeat(256)}) {
      assertThatThrownBy(() -> purges().accept(bad, Origin.API, (h, id, t) -> {}))
          .isInstanceOfSatisfying(
              ProblemException.class, e -> assertThat(e.code()).isEqualTo(ProblemCode.VALIDATION));
    }
    assertThat(count("SELECT count(*) FROM tenant_records_purges")).isEqualTo(before);
  }

  /**
   * Creates a record once the database clock has left the mark's millisecond, so it sorts after.
   */
  private static String createAfter(UUID mark, String tenant) {
    long markMillis = mark.getMostSignificantBits() >>> 16;
    await("the clock passes the mark")
        .atMost(PgProbe.DEADLINE)
        .pollInterval(Duration.ofMillis(1))
        .until(
            () ->
                count("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint")
                    > markMillis);
    String id = Hub.createRecord(APP, tenant);
    assertThat(id).isGreaterThan(mark.toString());
    return id;
  }

  private static String newest(List<String> ids) {
    return ids.stream().max(String::compareTo).orElseThrow();
  }

  private static void assertTaxonomyGone(String tenant) {
    for (String table :
        List.of(
            "taxonomy_runs",
            "taxonomy_cluster_memberships",
            "taxonomy_active_runs",
            "taxonomy_node_events")) {
      assertThat(count("SELECT count(*) FROM " + table + " WHERE tenant_id = ?", tenant))
          .as(table)
          .isZero();
    }
  }

  /** The tenant's webhooks, settings, delivered deliveries and deleted-events; the other tenant. */
  private static void assertKept(String tenant, String other) {
    assertThat(count("SELECT count(*) FROM webhooks WHERE tenant_id = ?", tenant)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM tenant_settings WHERE tenant_id = ?", tenant))
        .isEqualTo(1);
    assertThat(
            count(
                "SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ? AND status = 'succeeded'",
                tenant))
        .isEqualTo(1);
    assertThat(
            count(
                "SELECT count(*) FROM outbox_messages WHERE tenant_id = ?"
                    + " AND event_type = 'feedback_record.deleted'",
                tenant))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", other))
        .isEqualTo(5);
    assertThat(
            count(
                "SELECT count(*) FROM embeddings e JOIN feedback_records f"
                    + " ON f.id = e.feedback_record_id WHERE f.tenant_id = ?",
                other))
        .isEqualTo(2);
    assertThat(count("SELECT count(*) FROM taxonomy_runs WHERE tenant_id = ?", other)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", other))
        .isEqualTo(3);
  }
}
