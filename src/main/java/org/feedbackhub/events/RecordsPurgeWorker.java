package org.feedbackhub.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.feedbackhub.core.RecordsPurgeService;
import org.feedbackhub.core.RecordsPurgeService.BatchResult;
import org.feedbackhub.db.RecordsPurgeRow;
import org.feedbackhub.jobs.Backoff;
import org.feedbackhub.jobs.ClaimedJob;
import org.feedbackhub.jobs.JobOutcome;
import org.feedbackhub.jobs.JobQueue;
import org.feedbackhub.tenant.TenantWriteConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs records-only purge jobs (topic {@value #TOPIC}, payload {@code {"purge_id": ...}}, one per
 * tenant by their unique key). A claim runs batches of its purge for at most {@link
 * Settings#claimBudget}, pausing between them as the purge yields to other sessions, then hands the
 * job back due at once with its attempt given back, so a long purge never outlives its lease and
 * any instance may take the next turn. The last step completes the job in its own transaction.
 *
 * @implNote A batch that did not get the tenant lock, or any other failure, fails the attempt: the
 *     job is due again after the backoff, and after {@link Settings#maxAttempts} it is parked and
 *     the purge recorded failed. What committed batches deleted stays deleted and counted, and
 *     every attempt works from what is left below the same mark. An instance killed mid-batch
 *     leaves that batch rolled back by PostgreSQL; the job is due again when its lease ends.
 */
public final class RecordsPurgeWorker extends PollingWorker {
  /** The job topic. */
  public static final String TOPIC = "records_purge";

  private static final Logger LOG = LoggerFactory.getLogger(RecordsPurgeWorker.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param maxAttempts attempts before the purge is recorded failed (the contract says 5)
   * @param backoff the wait after a failed attempt
   * @param lease how long a claim owns the job; longer than any batch
   * @param claimBudget how long one claim runs batches before handing the job back
   * @param pollInterval how often an idle worker looks for a due job
   */
  public record Settings(
      int maxAttempts,
      Backoff backoff,
      Duration lease,
      Duration claimBudget,
      Duration pollInterval) {
    public static final Settings DEFAULTS =
        new Settings(
            5,
            Backoff.doublings(Duration.ofSeconds(1), 5),
            Duration.ofMinutes(2),
            Duration.ofSeconds(10),
            Duration.ofSeconds(1));
  }

  private final JobQueue queue;
  private final RecordsPurgeService purges;
  private final Settings settings;

  public RecordsPurgeWorker(JobQueue queue, RecordsPurgeService purges, Settings settings) {
    super("records-purge-worker", Duration.ZERO, settings.pollInterval());
    this.queue = queue;
    this.purges = purges;
    this.settings = settings;
  }

  /**
   * The job's unique key for {@code tenantId}: a digest, since a tenant id may be as long as the
   * key column.
   */
  public static String uniqueKey(String tenantId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(tenantId.getBytes(StandardCharsets.UTF_8));
      return TOPIC + "|" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The accept hook that enqueues a just-accepted purge's job on {@code queue} inside the accepting
   * transaction, with the tenant's unique key.
   */
  public static RecordsPurgeService.AcceptHook enqueuer(JobQueue queue) {
    return (handle, purgeId, tenantId) -> {
      String payload = JSON.createObjectNode().put("purge_id", purgeId.toString()).toString();
      if (queue.enqueue(handle, tenantId, payload, Duration.ZERO, uniqueKey(tenantId)).isEmpty()) {
        // The tenant's previous job is still queued: retry the accept rather than lose this purge.
        throw new RecordsPurgeService.JobStillQueuedException();
      }
    };
  }

  @Override
  void poll() {
    try {
      while (!Thread.currentThread().isInterrupted() && runOne()) {
        // due jobs first, then the next round
      }
    } catch (RuntimeException e) {
      PollFailures.log(LOG, "records purge worker", e);
    }
  }

  /** Claims one due job and runs its turn; false when no job was due. */
  public boolean runOne() {
    Optional<ClaimedJob> claimed = queue.claimOne(settings.lease());
    claimed.ifPresent(this::run);
    return claimed.isPresent();
  }

  private void run(ClaimedJob job) {
    Optional<UUID> purgeId = purgeId(job);
    if (purgeId.isEmpty()) {
      queue.park(job, "unreadable payload");
      return;
    }
    Optional<RecordsPurgeRow> started = purges.startAttempt(purgeId.get(), job.attempts());
    if (started.isEmpty()) {
      queue.complete(job, JobOutcome.SKIPPED);
      return;
    }
    RecordsPurgeRow purge = started.get();
    try {
      runTurn(job, purge);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      queue.retry(job, Duration.ZERO, true, null);
    } catch (RuntimeException e) {
      failAttempt(job, purge, e);
    }
  }

  private void runTurn(ClaimedJob job, RecordsPurgeRow purge) throws InterruptedException {
    long deadline = System.nanoTime() + settings.claimBudget().toNanos();
    while (true) {
      BatchResult batch = purges.runBatch(purge.id(), purge.tenantId(), purge.highWaterMark());
      if (batch.nothingLeft()) {
        Optional<RecordsPurgeRow> done =
            purges.finish(
                purge.id(),
                purge.tenantId(),
                purge.highWaterMark(),
                handle -> {
                  if (!queue.complete(handle, job, JobOutcome.SUCCEEDED)) {
                    throw new IllegalStateException("the purge's job is another claim's now");
                  }
                });
        if (done.isPresent()) {
          return;
        }
        continue;
      }
      Duration pause = purges.pauseAfter(batch);
      if (System.nanoTime() + pause.toNanos() >= deadline) {
        queue.retry(job, pause, true, null);
        return;
      }
      if (!pause.isZero()) {
        Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
      }
    }
  }

  private void failAttempt(ClaimedJob job, RecordsPurgeRow purge, RuntimeException e) {
    String error =
        e instanceof TenantWriteConflictException
            ? "the tenant's writes did not drain within the purge lock timeout"
            : "attempt failed: " + e.getClass().getSimpleName();
    if (job.attempts() >= settings.maxAttempts()) {
      LOG.error("records purge {} failed after {} attempts", purge.id(), job.attempts(), e);
      if (queue.park(job, error)) {
        purges.fail(purge.id(), error + " (after " + job.attempts() + " attempts)");
      }
      return;
    }
    LOG.warn("records purge {} attempt {} failed; retrying: {}", purge.id(), job.attempts(), error);
    queue.retry(job, settings.backoff().after(job.attempts()), false, error);
  }

  private static Optional<UUID> purgeId(ClaimedJob job) {
    try {
      JsonNode payload = JSON.readTree(job.payload());
      return Optional.of(UUID.fromString(payload.path("purge_id").asText()));
    } catch (Exception unreadable) {
      return Optional.empty();
    }
  }
}
