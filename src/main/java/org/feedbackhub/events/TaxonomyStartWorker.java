package org.feedbackhub.events;

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
import org.feedbackhub.tenant.TenantWriteConflictException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers taxonomy start jobs ({@code outbox_messages.topic = 'taxonomy_start'}, committed with
 * the run): marks the run running, then calls {@code POST
 * {TAXONOMY_SERVICE_URL}/v1/runs/{id}/start} with the service token and the creating request's id.
 * A failed call is retried with exponential backoff; after the last attempt the run fails with
 * {@code service_unavailable}. Claims are leases taken with {@code FOR UPDATE SKIP LOCKED}, so
 * several instances never start a run twice at once.
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

  /** A claimed job. */
  record Job(UUID id, String tenantId, String payload, int attempts) {}

  private final Jdbi jdbi;
  private final TaxonomyRunLifecycle runs;
  private final Settings settings;
  private final HttpClient http;

  public TaxonomyStartWorker(Jdbi jdbi, TaxonomyRunLifecycle runs, Settings settings) {
    super("taxonomy-start-worker", Duration.ZERO, settings.pollInterval());
    this.jdbi = jdbi;
    this.runs = runs;
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.httpTimeout()).build();
  }

  /** Runs every due job; a failure of one job never stops the others. */
  @Override
  void poll() {
    try {
      Optional<Job> job;
      while ((job = claim()).isPresent()) {
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

  /** Leases the oldest due job: it stays invisible for the HTTP bound twice over. */
  private Optional<Job> claim() {
    double lease = settings.httpTimeout().multipliedBy(2).plusSeconds(10).toMillis() / 1000.0;
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    UPDATE outbox_messages SET attempts = attempts + 1,
                        available_at = now() + make_interval(secs => :lease)
                    WHERE id = (SELECT id FROM outbox_messages
                                WHERE topic = :topic AND available_at <= now()
                                ORDER BY available_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING id, tenant_id, payload::text AS payload, attempts
                    """)
                .bind("lease", lease)
                .bind("topic", OutboxDao.TAXONOMY_START)
                .map(
                    (rs, ctx) ->
                        new Job(
                            rs.getObject("id", UUID.class),
                            rs.getString("tenant_id"),
                            rs.getString("payload"),
                            rs.getInt("attempts")))
                .findOne());
  }

  void process(Job job) {
    JsonNode payload;
    UUID runId;
    try {
      payload = JSON.readTree(job.payload());
      runId = UUID.fromString(payload.path("run_id").asText());
    } catch (Exception e) {
      LOG.error("taxonomy start job {} has an unreadable payload; dropped", job.id());
      delete(job);
      return;
    }
    Optional<TaxonomyRunData> run =
        jdbi.withHandle(h -> new TaxonomyDao(h).findRunAnyTenant(runId));
    if (run.isEmpty()) {
      delete(job); // purged or deleted: nothing to start
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
        delete(job);
        return;
      }
    } else if (!status.equals("running")) {
      delete(job);
      return;
    }
    String requestId =
        payload.hasNonNull("request_id")
            ? payload.get("request_id").asText()
            : UuidV7.next().toString();
    String failure = callStart(run.get(), requestId);
    if (failure == null) {
      delete(job);
    } else if (job.attempts() >= settings.maxAttempts()) {
      LOG.error(
          "taxonomy run {}: start failed after {} attempts: {}", runId, job.attempts(), failure);
      try {
        runs.markFailed(
            runId, "taxonomy service start failed: " + truncate(failure), "service_unavailable");
      } catch (RuntimeException e) {
        LOG.warn("taxonomy run {}: could not mark failed: {}", runId, e.toString());
      }
      delete(job);
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

  private void delete(Job job) {
    jdbi.useHandle(
        h ->
            h.createUpdate("DELETE FROM outbox_messages WHERE id = :id")
                .bind("id", job.id())
                .execute());
  }

  /** Retry n waits backoffBase * 2^(n-1). */
  private void retryLater(Job job, String error) {
    long shift = Math.min(20, Math.max(0, job.attempts() - 1));
    double seconds = settings.backoffBase().toMillis() * (1L << shift) / 1000.0;
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
                    UPDATE outbox_messages SET available_at = now() + make_interval(secs => :s),
                        last_error = :error WHERE id = :id
                    """)
                .bind("s", seconds)
                .bind("error", truncate(error))
                .bind("id", job.id())
                .execute());
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 500 ? s : s.substring(0, 500);
  }
}
