package org.feedbackhub.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.feedbackhub.api.Validation;
import org.feedbackhub.db.RecordsPurgeBatchDao;
import org.feedbackhub.db.RecordsPurgeHistoryDao;
import org.feedbackhub.db.RecordsPurgeHistoryDao.BatchCounts;
import org.feedbackhub.db.RecordsPurgeHistoryDao.TaxonomyCounts;
import org.feedbackhub.db.RecordsPurgeRow;
import org.feedbackhub.db.TenantPurgeDao;
import org.feedbackhub.tenant.TenantWriteConflictException;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.MDC;

/**
 * The records-only purge ({@code DELETE /v1/tenants/{id}/feedback-records}) step by step: accept
 * (take the high-water mark, or join the tenant's purge already accepted or running), then batches
 * that each delete up to {@link RecordsPurgeBatchDao#BATCH} records at or below the mark with what
 * derives from them, then the tenant's taxonomy, last. Each batch and the last step is one
 * transaction under the tenant's write lock taken exclusively, and each records its own progress in
 * the purge history before it commits, so the counts stay exact whatever fails between batches.
 *
 * @implNote The lock is released between batches so the tenant's writers get in; after a batch,
 *     while other sessions are running statements, the caller pauses {@link
 *     TenantPurgeService#PAUSE_PER_WORK} times as long as the batch took (outside any transaction)
 *     so other tenants keep most of the database, as the {@code /data} purge does.
 */
public final class RecordsPurgeService {
  /** What an accepted request refers to: a new purge, or the one it joined. */
  public record Accepted(UUID purgeId, String tenantId, UUID highWaterMark, boolean joined) {}

  /** One batch: how many records it deleted (0: none left) and what it waited and took. */
  public record BatchResult(int records, Duration lockWait, Duration took) {
    static final BatchResult NONE = new BatchResult(0, Duration.ZERO, Duration.ZERO);

    /** Whether nothing was left to delete: the taxonomy step is next. */
    public boolean nothingLeft() {
      return records == 0;
    }
  }

  /** The metric name prefix of records-only purges. */
  public static final String METRICS = "records_purge";

  /** Counter of batches committed. */
  public static final String BATCHES = METRICS + ".batches";

  /** Counter of records deleted by committed batches. */
  public static final String RECORDS_DELETED = METRICS + ".records_deleted";

  /** Counter of batches that did not get the tenant lock in time. */
  public static final String BATCHES_REFUSED = METRICS + ".batches_refused";

  /** Counter of batches after which the purge paused for other sessions. */
  public static final String PAUSED_BATCHES = METRICS + ".paused_batches";

  /** Timer of each batch's (and the last step's) wait for the tenant lock. */
  public static final String BATCH_LOCK_WAIT = METRICS + ".batch_lock_wait";

  /** Gauge of purges in state running, across all instances on the database. */
  public static final String RUNNING = METRICS + ".running";

  private static final int ACCEPT_TRIES = 5;

  private final Jdbi jdbi;
  private final TenantWriteLock lock;
  private final Duration lockTimeout;
  private final MetricRegistry metrics;
  private final Counter batches;
  private final Counter recordsDeleted;
  private final Counter batchesRefused;
  private final Counter pausedBatches;
  private final Timer batchLockWait;
  private final AcceptHook onAccepted;
  private final String monitorApplicationName;

  /**
   * @param monitorApplicationName the lock monitor's {@code application_name}: its polls are not
   *     load the purge yields to
   * @param onAccepted run in the transaction that accepts a new purge, with its id: enqueues the
   *     job that runs it, so a purge is never accepted without one
   */
  public RecordsPurgeService(
      Jdbi jdbi,
      TenantWriteLock lock,
      Duration lockTimeout,
      MetricRegistry metrics,
      String monitorApplicationName,
      AcceptHook onAccepted) {
    this.jdbi = jdbi;
    this.monitorApplicationName = monitorApplicationName;
    this.onAccepted = onAccepted;
    this.lock = lock;
    this.lockTimeout = lockTimeout;
    this.metrics = metrics;
    this.batches = metrics.counter(BATCHES);
    this.recordsDeleted = metrics.counter(RECORDS_DELETED);
    this.batchesRefused = metrics.counter(BATCHES_REFUSED);
    this.pausedBatches = metrics.counter(PAUSED_BATCHES);
    this.batchLockWait = metrics.timer(BATCH_LOCK_WAIT);
    for (String outcome : List.of(RecordsPurgeRow.COMPLETED, RecordsPurgeRow.FAILED)) {
      metrics.counter(outcomeMetric(outcome));
    }
    metrics.gauge(RUNNING, () -> new RecordsPurgesRunningGauge(jdbi));
  }

  /** {@link #accept(String, TenantPurgeService.Origin, AcceptHook)} enqueuing the purge's job. */
  public Accepted accept(String rawTenantId, TenantPurgeService.Origin origin) {
    return accept(rawTenantId, origin, onAccepted);
  }

  /**
   * Accepts a purge of {@code rawTenantId}'s records: takes the high-water mark (the tenant's
   * newest record id now) and records the purge as accepted, or joins the tenant's purge that is
   * accepted or running. Takes no tenant lock.
   *
   * @param inTransaction run in the accepting transaction with the purge's id, e.g. to enqueue its
   *     job, so a purge is never accepted without one
   * @throws org.feedbackhub.api.ProblemException a {@code validation} problem for a bad tenant id
   */
  public Accepted accept(
      String rawTenantId, TenantPurgeService.Origin origin, AcceptHook inTransaction) {
    Validation v = new Validation();
    String tenantId = v.tenantId("tenant_id", rawTenantId);
    v.throwIfInvalid();
    String requestId = MDC.get("request_id");
    // A purge found active may finish before it is read back; then the next try starts a new one.
    // A job of the tenant's previous purge may not be completed yet (it is, in the purge's last
    // transaction, or parked just before the purge is recorded failed); then this try rolls back.
    for (int attempt = 0; attempt < ACCEPT_TRIES; attempt++) {
      try {
        Optional<Accepted> accepted =
            jdbi.inTransaction(
                handle -> acceptOnce(handle, tenantId, origin, requestId, inTransaction));
        if (accepted.isPresent()) {
          return accepted.get();
        }
      } catch (JobStillQueuedException e) {
        backOff(attempt);
      }
    }
    throw new IllegalStateException("records purges of a tenant kept finishing while accepted");
  }

  /**
   * Thrown by an {@link AcceptHook} that could not enqueue the new purge's job because the tenant's
   * previous job is still queued: the accepting transaction rolls back and the accept tries again.
   */
  public static final class JobStillQueuedException extends RuntimeException {
    public JobStillQueuedException() {
      super("the tenant's previous records purge job is still queued", null, false, false);
    }
  }

  /** Work to do in the transaction that accepts a new purge. */
  @FunctionalInterface
  public interface AcceptHook {
    void accepted(Handle handle, UUID purgeId, String tenantId);
  }

  /** A few milliseconds, growing: the previous job goes within one short transaction. */
  private static void backOff(int attempt) {
    try {
      Thread.sleep(10L << attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while accepting a records purge", e);
    }
  }

  private static Optional<Accepted> acceptOnce(
      Handle handle,
      String tenantId,
      TenantPurgeService.Origin origin,
      String requestId,
      AcceptHook inTransaction) {
    RecordsPurgeHistoryDao history = handle.attach(RecordsPurgeHistoryDao.class);
    Optional<RecordsPurgeRow> active = history.active(tenantId);
    if (active.isPresent()) {
      return active.map(RecordsPurgeService::joined);
    }
    UUID mark = handle.attach(RecordsPurgeBatchDao.class).newestRecordId(tenantId).orElse(null);
    Optional<UUID> created = history.insertAccepted(tenantId, mark, origin.label(), requestId);
    if (created.isEmpty()) {
      return history.active(tenantId).map(RecordsPurgeService::joined);
    }
    inTransaction.accepted(handle, created.get(), tenantId);
    return Optional.of(new Accepted(created.get(), tenantId, mark, false));
  }

  private static Accepted joined(RecordsPurgeRow row) {
    return new Accepted(row.id(), row.tenantId(), row.highWaterMark(), true);
  }

  /**
   * Starts an attempt: counts it and marks the purge running.
   *
   * @return the purge as it stands, or empty when it has completed or failed already
   */
  public Optional<RecordsPurgeRow> startAttempt(UUID purgeId) {
    return jdbi.withExtension(RecordsPurgeHistoryDao.class, dao -> dao.startAttempt(purgeId));
  }

  /**
   * Starts (or continues) attempt {@code attempt} of the purge's job: marks it running with that
   * attempt count.
   *
   * @return the purge as it stands, or empty when it has completed or failed already
   */
  public Optional<RecordsPurgeRow> startAttempt(UUID purgeId, int attempt) {
    return jdbi.withExtension(
        RecordsPurgeHistoryDao.class, dao -> dao.startJobAttempt(purgeId, attempt));
  }

  /** The purge's history row. */
  public Optional<RecordsPurgeRow> find(UUID purgeId) {
    return jdbi.withExtension(RecordsPurgeHistoryDao.class, dao -> dao.find(purgeId));
  }

  /**
   * Runs one batch of a running purge: one transaction that takes the tenant lock exclusively,
   * deletes up to {@link RecordsPurgeBatchDao#BATCH} of the tenant's records at or below {@code
   * mark} with their embeddings, taxonomy memberships, undelivered events, pending deliveries and
   * queued jobs, adds what it deleted to the purge's history row, and commits.
   *
   * @throws TenantWriteConflictException when writers in flight did not drain within the purge lock
   *     timeout; nothing was deleted and the batch can be retried
   * @throws IllegalStateException when the purge is no longer running; nothing was deleted
   */
  public BatchResult runBatch(UUID purgeId, String tenantId, UUID mark) {
    if (mark == null) {
      return BatchResult.NONE;
    }
    long started = System.nanoTime();
    BatchResult result =
        inLockedTransaction(
            purgeId,
            tenantId,
            (handle, waited) -> {
              RecordsPurgeBatchDao dao = handle.attach(RecordsPurgeBatchDao.class);
              List<UUID> ids = dao.nextBatch(tenantId, mark, RecordsPurgeBatchDao.BATCH);
              if (ids.isEmpty()) {
                return new BatchResult(0, waited, Duration.ofNanos(System.nanoTime() - started));
              }
              BatchCounts counts = deleteBatch(dao, tenantId, ids);
              int recorded =
                  handle
                      .attach(RecordsPurgeHistoryDao.class)
                      .recordBatch(purgeId, counts, waited.toMillis());
              if (recorded != 1) {
                throw new IllegalStateException("records purge " + purgeId + " is not running");
              }
              return new BatchResult(
                  (int) counts.records(), waited, Duration.ofNanos(System.nanoTime() - started));
            });
    if (!result.nothingLeft()) {
      batches.inc();
      recordsDeleted.inc(result.records());
    }
    return result;
  }

  private static BatchCounts deleteBatch(
      RecordsPurgeBatchDao dao, String tenantId, List<UUID> ids) {
    UUID[] uuids = ids.toArray(UUID[]::new);
    String[] texts = ids.stream().map(UUID::toString).toArray(String[]::new);
    long embeddings = dao.deleteEmbeddings(uuids);
    long memberships = dao.deleteTaxonomyMemberships(tenantId, uuids);
    long messages = dao.deletePendingMessages(tenantId, texts);
    dao.deletePendingDeliveryAttempts(tenantId, texts);
    long deliveries = dao.deletePendingDeliveries(tenantId, texts);
    long records = dao.deleteRecords(tenantId, uuids);
    return new BatchCounts(records, embeddings, memberships, messages, deliveries);
  }

  /**
   * The last step: one transaction under the exclusive tenant lock that deletes the tenant's
   * taxonomy (node events, memberships, nodes, clusters, active-run pointers, runs) and completes
   * the purge, unless records at or below the mark are still there.
   *
   * @return the completed purge, or empty when batches are still to run (nothing was deleted)
   * @throws TenantWriteConflictException when writers in flight did not drain in time
   */
  public Optional<RecordsPurgeRow> finish(UUID purgeId, String tenantId, UUID mark) {
    return finish(purgeId, tenantId, mark, handle -> {});
  }

  /**
   * {@link #finish(UUID, String, UUID)}, running {@code inTransaction} in the completing
   * transaction (e.g. to complete the purge's job with it, so no new purge of the tenant can meet
   * the old job); an exception it throws rolls the last step back.
   */
  public Optional<RecordsPurgeRow> finish(
      UUID purgeId, String tenantId, UUID mark, Consumer<Handle> inTransaction) {
    Optional<RecordsPurgeRow> done =
        inLockedTransaction(
            purgeId,
            tenantId,
            (handle, waited) -> {
              if (mark != null
                  && !handle
                      .attach(RecordsPurgeBatchDao.class)
                      .nextBatch(tenantId, mark, 1)
                      .isEmpty()) {
                return Optional.<RecordsPurgeRow>empty();
              }
              TaxonomyCounts counts = deleteTaxonomy(handle.attach(TenantPurgeDao.class), tenantId);
              RecordsPurgeHistoryDao history = handle.attach(RecordsPurgeHistoryDao.class);
              if (history.complete(purgeId, counts, waited.toMillis()) != 1) {
                throw new IllegalStateException("records purge " + purgeId + " is not running");
              }
              inTransaction.accept(handle);
              return history.find(purgeId);
            });
    done.ifPresent(row -> metrics.counter(outcomeMetric(RecordsPurgeRow.COMPLETED)).inc());
    return done;
  }

  private static TaxonomyCounts deleteTaxonomy(TenantPurgeDao dao, String tenantId) {
    long nodeEvents = dao.deleteTaxonomyNodeEvents(tenantId);
    long memberships = dao.deleteTaxonomyClusterMemberships(tenantId);
    long nodes = dao.deleteTaxonomyNodes(tenantId);
    long clusters = dao.deleteTaxonomyClusters(tenantId);
    long activeRuns = dao.deleteTaxonomyActiveRuns(tenantId);
    long runs = dao.deleteTaxonomyRuns(tenantId);
    return new TaxonomyCounts(runs, clusters, memberships, nodes, activeRuns, nodeEvents);
  }

  /** Work under the exclusive tenant lock, given how long taking it took. */
  private interface LockedWork<T> {
    T run(Handle handle, Duration lockWait);
  }

  private <T> T inLockedTransaction(UUID purgeId, String tenantId, LockedWork<T> work) {
    long asked = System.nanoTime();
    try {
      return jdbi.inTransaction(
          handle -> {
            Duration waited = lock.lockExclusiveForPurge(handle, tenantId, lockTimeout);
            batchLockWait.update(waited.toNanos(), TimeUnit.NANOSECONDS);
            return work.run(handle, waited);
          });
    } catch (TenantWriteConflictException e) {
      long waited = System.nanoTime() - asked;
      batchLockWait.update(waited, TimeUnit.NANOSECONDS);
      batchesRefused.inc();
      jdbi.useExtension(
          RecordsPurgeHistoryDao.class,
          dao ->
              dao.recordRefusedBatch(
                  purgeId, TimeUnit.NANOSECONDS.toMillis(waited), e.getMessage()));
      throw e;
    }
  }

  /**
   * How long to pause after {@code batch} before the next one: {@link
   * TenantPurgeService#PAUSE_PER_WORK} times the batch's time while other sessions are running
   * statements, nothing on an otherwise idle database.
   */
  public Duration pauseAfter(BatchResult batch) {
    if (batch.nothingLeft()) {
      return Duration.ZERO;
    }
    int busy =
        jdbi.withExtension(
            TenantPurgeDao.class, dao -> dao.otherActiveSessions(monitorApplicationName));
    if (busy == 0) {
      return Duration.ZERO;
    }
    pausedBatches.inc();
    return Duration.ofNanos((long) (batch.took().toNanos() * TenantPurgeService.PAUSE_PER_WORK));
  }

  /** How a caller waits between batches (a sleep in the worker). */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  /**
   * One attempt of a purge, from what is left to the end: counts the attempt, runs batches (pausing
   * after each as {@link #pauseAfter} says), then the last step. What each batch committed stays
   * committed whatever ends the attempt, so the next attempt resumes with the same mark.
   *
   * @return the completed purge, or empty when it was not active any more (nothing was done)
   * @throws TenantWriteConflictException a batch did not get the tenant lock in time: retry later
   * @throws InterruptedException when the pause was interrupted (shutting down)
   */
  public Optional<RecordsPurgeRow> runAttempt(UUID purgeId, Pause pause)
      throws InterruptedException {
    Optional<RecordsPurgeRow> started = startAttempt(purgeId);
    if (started.isEmpty()) {
      return Optional.empty();
    }
    RecordsPurgeRow purge = started.get();
    while (true) {
      BatchResult batch = runBatch(purge.id(), purge.tenantId(), purge.highWaterMark());
      if (batch.nothingLeft()) {
        Optional<RecordsPurgeRow> done =
            finish(purge.id(), purge.tenantId(), purge.highWaterMark());
        if (done.isPresent()) {
          return done;
        }
      } else {
        Duration wait = pauseAfter(batch);
        if (!wait.isZero()) {
          pause.pause(wait);
        }
      }
    }
  }

  /** Records that the purge gave up (its last attempt failed); its counts so far stay. */
  public void fail(UUID purgeId, String error) {
    int failed = jdbi.withExtension(RecordsPurgeHistoryDao.class, dao -> dao.fail(purgeId, error));
    if (failed == 1) {
      metrics.counter(outcomeMetric(RecordsPurgeRow.FAILED)).inc();
    }
  }

  /** The counter of records-only purges that ended {@code completed} or {@code failed}. */
  public static String outcomeMetric(String outcome) {
    return MetricRegistry.name(METRICS, "outcome", outcome);
  }
}
