package org.feedbackhub.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.feedbackhub.db.EmbeddingDao;
import org.feedbackhub.db.EmbeddingDao.RecordText;
import org.feedbackhub.db.Vectors;
import org.feedbackhub.embeddings.Embedder;
import org.feedbackhub.embeddings.EmbeddingProviderException;
import org.feedbackhub.events.EmbeddingMetrics.Outcome;
import org.feedbackhub.jobs.Backoff;
import org.feedbackhub.jobs.ClaimedJob;
import org.feedbackhub.jobs.JobOutcome;
import org.feedbackhub.jobs.JobQueue;
import org.feedbackhub.tenant.TenantWriteConflictException;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes and stores the vectors embedding jobs ask for: claims due jobs in batches ({@code FOR
 * UPDATE SKIP LOCKED}), embeds each batch's texts in one provider call on a bounded pool, and
 * writes each vector in its own transaction under the tenant write lock, resolved through the
 * parent record, deleting the job in the same transaction.
 *
 * @implNote Rules, as the reference's worker: a record deleted or purged meanwhile completes the
 *     job as {@code skipped}; a tenant write conflict (purge queued or running) retries later and
 *     counts {@code tenant_write_conflict}; a provider 429 retries without consuming an attempt;
 *     the last failed attempt parks the job as {@code failed_final}. A text changed since it was
 *     embedded is skipped too: the update that changed it queued a newer job in its own statement.
 */
public final class EmbeddingWorker extends PollingWorker {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingWorker.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Attempt n waits retryBackoffBase * 2^(n-1), doubling at most 16 times, as it always has. */
  private static final int MAX_DOUBLINGS = 16;

  /** Settings of one worker. */
  public record Settings(
      int maxConcurrent,
      int maxAttempts,
      int batchSize,
      Duration pollInterval,
      Duration retryBackoffBase,
      Duration lease) {}

  private final Jdbi jdbi;
  private final JobQueue jobs;
  private final Backoff backoff;
  private final EmbeddingDao records;
  private final Embedder embedder;
  private final TenantWriteLock lock;
  private final EmbeddingMetrics metrics;
  private final Settings settings;
  private final Semaphore slots;

  public EmbeddingWorker(
      JobQueue jobs,
      Jdbi jdbi,
      Embedder embedder,
      TenantWriteLock lock,
      EmbeddingMetrics metrics,
      Settings settings) {
    // On stop, batches in flight get up to their lease to finish; one cut off keeps its lease and
    // runs again elsewhere.
    super(
        "embedding-poller-1",
        settings.pollInterval(),
        new Pool("embedding-worker-", settings.maxConcurrent(), settings.lease()));
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.backoff = Backoff.doublings(settings.retryBackoffBase(), MAX_DOUBLINGS);
    this.records = jdbi.onDemand(EmbeddingDao.class);
    this.embedder = embedder;
    this.lock = lock;
    this.metrics = metrics;
    this.settings = settings;
    this.slots = new Semaphore(settings.maxConcurrent());
  }

  /** One round: claims batches while a pool slot is free. */
  @Override
  void poll() {
    try {
      while (slots.tryAcquire()) {
        List<ClaimedJob> batch;
        try {
          batch = jobs.claim(settings.batchSize(), settings.lease());
        } catch (RuntimeException e) {
          slots.release();
          throw e;
        }
        if (batch.isEmpty()) {
          slots.release();
          return;
        }
        execute(
            () -> {
              try {
                process(batch);
              } catch (RuntimeException e) {
                metrics.workerError("batch_failed");
                LOG.error("embedding batch failed unexpectedly; jobs return after their lease", e);
              } finally {
                slots.release();
              }
            });
      }
    } catch (RuntimeException e) {
      metrics.workerError("claim_failed");
      PollFailures.log(LOG, "embedding job claim", e);
    }
  }

  /** Embeds and stores one claimed batch. */
  void process(List<ClaimedJob> batch) {
    long started = System.nanoTime();
    Map<UUID, ClaimedJob> byRecord = new HashMap<>();
    for (ClaimedJob job : batch) {
      UUID recordId = recordId(job);
      if (recordId == null) {
        metrics.workerError("invalid_payload");
        jobs.park(job, "invalid payload");
        metrics.outcome(Outcome.FAILED_FINAL, System.nanoTime() - started);
      } else if (byRecord.putIfAbsent(recordId, job) != null) {
        // A duplicate job of the same record: the first one covers it.
        jobs.complete(job, JobOutcome.SKIPPED);
        metrics.outcome(Outcome.SKIPPED, System.nanoTime() - started);
      }
    }
    Map<UUID, String> texts = new HashMap<>();
    for (RecordText record : records.records(byRecord.keySet().toArray(UUID[]::new))) {
      texts.put(record.id(), "text".equals(record.fieldType()) ? record.valueText() : null);
    }
    List<UUID> toEmbed = new ArrayList<>();
    for (UUID recordId : byRecord.keySet()) {
      if (!texts.containsKey(recordId)) {
        // PR #91: a record gone before the first read is skipped without a worker error.
        jobs.complete(byRecord.get(recordId), JobOutcome.SKIPPED);
        metrics.outcome(Outcome.SKIPPED, System.nanoTime() - started);
      } else if (isBlank(texts.get(recordId))) {
        write(byRecord.get(recordId), recordId, texts.get(recordId), null, started);
      } else {
        toEmbed.add(recordId);
      }
    }
    if (toEmbed.isEmpty()) {
      return;
    }
    List<float[]> vectors;
    try {
      vectors = embedder.embed(toEmbed.stream().map(texts::get).toList());
    } catch (EmbeddingProviderException e) {
      metrics.providerError();
      for (UUID recordId : toEmbed) {
        failed(byRecord.get(recordId), e, e.rateLimited(), e.retryAfter(), started);
      }
      return;
    } catch (Embedder.DimensionMismatchException e) {
      metrics.workerError("dimension_mismatch");
      LOG.error("embedding provider returned unusable vectors; jobs parked: {}", e.getMessage());
      for (UUID recordId : toEmbed) {
        jobs.park(byRecord.get(recordId), e.getMessage());
        metrics.outcome(Outcome.FAILED_FINAL, System.nanoTime() - started);
      }
      return;
    }
    for (int i = 0; i < toEmbed.size(); i++) {
      UUID recordId = toEmbed.get(i);
      write(byRecord.get(recordId), recordId, texts.get(recordId), vectors.get(i), started);
    }
  }

  /**
   * Stores (or, with a null vector, clears) the record's vector and completes the job, all in one
   * transaction under the tenant lock resolved through the record.
   */
  private void write(
      ClaimedJob job, UUID recordId, String embeddedText, float[] vector, long started) {
    try {
      Outcome outcome =
          jdbi.inTransaction(
              handle -> {
                EmbeddingDao dao = handle.attach(EmbeddingDao.class);
                RecordText record = dao.record(recordId).orElse(null);
                if (record == null) {
                  jobs.complete(handle, job, JobOutcome.SKIPPED);
                  return Outcome.SKIPPED;
                }
                lock.lockShared(handle, record.tenantId(), "embedding.upsert");
                String current = "text".equals(record.fieldType()) ? record.valueText() : null;
                if (!Objects.equals(current, embeddedText)) {
                  jobs.complete(handle, job, JobOutcome.SKIPPED);
                  return Outcome.SKIPPED;
                }
                if (vector == null) {
                  dao.clear(recordId, embedder.model());
                } else {
                  dao.upsert(recordId, embedder.model(), Vectors.toArrayLiteral(vector));
                }
                jobs.complete(handle, job, JobOutcome.SUCCEEDED);
                return Outcome.SUCCESS;
              });
      metrics.outcome(outcome, System.nanoTime() - started);
    } catch (TenantWriteConflictException e) {
      metrics.workerError("tenant_write_conflict");
      LOG.warn("tenant data purge in progress, deferring write of embedding job {}", job.id());
      failed(job, e, false, null, started);
    } catch (RuntimeException e) {
      metrics.workerError("update_failed");
      LOG.error("embedding job {} could not store its vector", job.id(), e);
      failed(job, e, false, null, started);
    }
  }

  /** Retries the job with backoff, or parks it after its last attempt. */
  private void failed(
      ClaimedJob job,
      RuntimeException cause,
      boolean rateLimited,
      Duration retryAfter,
      long started) {
    String error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
    if (rateLimited) {
      Duration delay = retryAfter != null ? retryAfter : settings.retryBackoffBase();
      jobs.retry(job, delay, true, error);
      metrics.outcome(Outcome.RETRY, System.nanoTime() - started);
    } else if (job.attempts() >= settings.maxAttempts()) {
      jobs.park(job, error);
      metrics.outcome(Outcome.FAILED_FINAL, System.nanoTime() - started);
      LOG.error("embedding job {} failed for good after {} attempts", job.id(), job.attempts());
    } else {
      jobs.retry(job, backoff.after(job.attempts()), false, error);
      metrics.outcome(Outcome.RETRY, System.nanoTime() - started);
    }
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }

  /**
   * The record an embedding job ({@code {"feedback_record_id": ...}}) is for; null if unreadable.
   */
  private static UUID recordId(ClaimedJob job) {
    try {
      JsonNode id = JSON.readTree(job.payload()).get("feedback_record_id");
      return id == null || id.isNull() ? null : UUID.fromString(id.asText());
    } catch (Exception e) {
      return null;
    }
  }
}
