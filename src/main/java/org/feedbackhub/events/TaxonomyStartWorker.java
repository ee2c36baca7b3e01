package org.feedbackhub.events;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.api.TaxonomyRunData;
import org.feedbackhub.core.TaxonomyRunLifecycle;
import org.feedbackhub.db.OutboxDao;
import org.feedbackhub.db.TaxonomyDao;
import org.feedbackhub.http.RequestIds;
import org.feedbackhub.http.UuidV7;
import org.feedbackhub.jobs.Backoff;
import org.feedbackhub.jobs.ClaimedJob;
import org.feedbackhub.jobs.JobOutcome;
import org.feedbackhub.jobs.JobQueue;
import org.feedbackhub.tenant.TenantWriteConflictException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers taxonomy start jobs ({@code outbox_messages.topic = 'taxonomy_start'}, committed with
 * the run): marks the run running, then calls {@code POST
 * {TAXONOMY_SERVICE_URL}/v1/runs/{id}/start} with the service token and the creating request's id.
 * A failed call is retried with exponential backoff; after the last attempt the run fails with
 * {@code service_unavailable}. Claims, leases and retries are the {@link JobQueue}'s, so several
 * instances never start a run twice at once.
 */
public final class TaxonomyStartWorker extends PollingWorker {
  private static final Logger LOG = LoggerFactory.getLogger(TaxonomyStartWorker.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Settings of the worker. */
  public record Settings(
      String serviceUrl,
      String serviceToken,
      int maxAttempts,
      Duration backoffBase,
      Duration pollInterval,
      Duration httpTimeout) {}

  /** Retry n waits backoffBase * 2^(n-1), doubling at most 20 times, as it always has. */
  private static final int MAX_DOUBLINGS = 20;

  private final Jdbi jdbi;
  private final JobQueue jobs;
  private final TaxonomyRunLifecycle runs;
  private final Settings settings;
  private final Backoff backoff;
  private final Duration lease;
  private final HttpClient http;

  /** A worker whose queue counts its metrics in a registry of its own (tests). */
  public TaxonomyStartWorker(Jdbi jdbi, TaxonomyRunLifecycle runs, Settings settings) {
    this(new JobQueue(jdbi, OutboxDao.TAXONOMY_START, new MetricRegistry()), jdbi, runs, settings);
  }

  public TaxonomyStartWorker(
      JobQueue jobs, Jdbi jdbi, TaxonomyRunLifecycle runs, Settings settings) {
    super("taxonomy-start-worker", Duration.ZERO, settings.pollInterval());
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.runs = runs;
    this.settings = settings;
    this.backoff = Backoff.doublings(settings.backoffBase(), MAX_DOUBLINGS);
    // The lease outlives the HTTP bound twice over: no other instance starts a run in flight.
    this.lease = settings.httpTimeout().multipliedBy(2).plusSeconds(10);
    this.http = HttpClient.newBuilder().connectTimeout(settings.httpTimeout()).build();
  }

  /** Runs every due job; a failure of one job never stops the others. */
  @Override
  void poll() {
    try {
      Optional<ClaimedJob> job;
      while ((job = jobs.claimOne(lease)).isPresent()) {
        try {
          process(job.get());
        } catch (RuntimeException e) {
          LOG.error("taxonomy start job {} failed unexpectedly", job.get().id(), e);
          retryLater(job.get(), e.toString());
        }
      }
    } catch (RuntimeException e) {
      PollFailures.log(LOG, "taxonomy start round", e);
    }
  }

  void process(ClaimedJob job) {
    JsonNode payload;
    UUID runId;
    try {
      payload = JSON.readTree(job.payload());
      runId = UUID.fromString(payload.path("run_id").asText());
    } catch (Exception e) {
      LOG.error("taxonomy start job {} has an unreadable payload; dropped", job.id());
      jobs.complete(job, JobOutcome.SKIPPED);
      return;
    }
    Optional<TaxonomyRunData> run =
        jdbi.withHandle(h -> new TaxonomyDao(h).findRunAnyTenant(runId));
    if (run.isEmpty()) {
      jobs.complete(job, JobOutcome.SKIPPED); // purged or deleted: nothing to start
      return;
    }
    String status = run.get().status();
    if (status.equals("pending")) {
      try {
        runs.markRunning(runId);
      } catch (TenantWriteConflictException e) {
        LOG.warn("taxonomy run {}: tenant data purge in progress, deferring start", runId);
        retryLater(job, e.getMessage());
        return;
      } catch (ProblemException e) {
        // Expected: the reaper failed (or a purge removed) the run after it was read as pending.
        LOG.info(
            "taxonomy run {}: no longer pending ({}); start job dropped", runId, e.getMessage());
        jobs.complete(job, JobOutcome.SKIPPED);
        return;
      }
    } else if (!status.equals("running")) {
      jobs.complete(job, JobOutcome.SKIPPED);
      return;
    }
    String requestId =
        payload.hasNonNull("request_id")
            ? payload.get("request_id").asText()
            : UuidV7.next().toString();
    String failure = callStart(run.get(), requestId);
    if (failure == null) {
      jobs.complete(job, JobOutcome.SUCCEEDED);
    } else if (job.attempts() >= settings.maxAttempts()) {
      LOG.error(
          "taxonomy run {}: start failed after {} attempts: {}", runId, job.attempts(), failure);
      try {
        runs.markFailed(
            runId, "taxonomy service start failed: " + truncate(failure), "service_unavailable");
      } catch (RuntimeException e) {
        LOG.warn("taxonomy run {}: could not mark failed: {}", runId, e.toString());
      }
      jobs.complete(job, JobOutcome.PARKED);
    } else {
      retryLater(job, failure);
    }
  }

  /** Null on a 2xx answer, otherwise why the call failed. */
  private String callStart(TaxonomyRunData run, String requestId) {
    String base = settings.serviceUrl().replaceAll("/+$", "");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/v1/runs/" + run.id() + "/start"))
            .timeout(settings.httpTimeout())
            .header("Content-Type", "application/json")
            .header(RequestIds.HEADER, requestId)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"run_id\":\""
                        + run.id()
                        + "\",\"tenant_id\":"
                        + JSON.valueToTree(run.tenantId())
                        + "}"));
    if (!settings.serviceToken().isBlank()) {
      request.header("Authorization", "Bearer " + settings.serviceToken());
    }
    try {
      HttpResponse<Void> response =
          http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      int code = response.statusCode();
      return code >= 200 && code < 300 ? null : "HTTP " + code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (Exception e) {
      return e.toString();
    }
  }

  private void retryLater(ClaimedJob job, String error) {
    jobs.retry(job, backoff.after(job.attempts()), false, error);
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 500 ? s : s.substring(0, 500);
  }
}
