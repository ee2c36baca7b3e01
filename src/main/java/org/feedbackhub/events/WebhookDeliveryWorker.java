package org.feedbackhub.events;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.feedbackhub.core.WebhookService;
import org.feedbackhub.core.WebhookUrlGuard;
import org.feedbackhub.db.DeliveryDao;
import org.feedbackhub.db.DeliveryDao.ClaimedDelivery;
import org.feedbackhub.db.WebhookDao;
import org.feedbackhub.db.WebhookRow;
import org.feedbackhub.jobs.Backoff;
import org.feedbackhub.tenant.TenantWriteConflictException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one attempt of one leased delivery: re-reads the webhook, re-checks its target (SSRF),
 * sends, records the attempt, and on the final failure (or a 410 Gone) disables the webhook through
 * the locked update.
 *
 * @implNote Delivery itself takes no tenant lock. The disable does (it is a tenant-owned write):
 *     when a purge of the tenant is in progress it is skipped with a WARN and no disabled metric —
 *     the purge deletes the webhook anyway — while the failed attempt stays recorded.
 */
public final class WebhookDeliveryWorker {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryWorker.class);

  /** The longest wait between two attempts, whatever the base and attempt number. */
  private static final Duration MAX_BACKOFF = Duration.ofHours(1);

  static final String GONE_REASON = "Endpoint returned 410 Gone";

  private final DeliveryDao deliveries;
  private final WebhookDao webhookRows;
  private final WebhookService webhooks;
  private final WebhookUrlGuard urlGuard;
  private final WebhookSender sender;
  private final WebhookMetrics metrics;
  private final int maxAttempts;
  private final Backoff backoff;

  public WebhookDeliveryWorker(
      Jdbi jdbi,
      WebhookService webhooks,
      WebhookUrlGuard urlGuard,
      WebhookSender sender,
      WebhookMetrics metrics,
      int maxAttempts,
      Duration backoffBase) {
    this.deliveries = jdbi.onDemand(DeliveryDao.class);
    this.webhookRows = jdbi.onDemand(WebhookDao.class);
    this.webhooks = webhooks;
    this.urlGuard = urlGuard;
    this.sender = sender;
    this.metrics = metrics;
    this.maxAttempts = maxAttempts;
    // base * 2^(n-1), at most 30 doublings and at most an hour, as it always has been.
    Backoff doublings = Backoff.doublings(backoffBase, 30);
    this.backoff =
        new Backoff(
            backoffBase,
            doublings.cap().compareTo(MAX_BACKOFF) < 0 ? doublings.cap() : MAX_BACKOFF);
  }

  public void deliver(ClaimedDelivery delivery) {
    Optional<WebhookRow> found = webhookRows.findById(delivery.webhookId());
    if (found.isEmpty()) {
      // Deleted or purged since the fan-out; its deliveries went with it by cascade.
      metrics.dispatchError("get_webhook_failed");
      metrics.delivery(delivery.eventType(), "failed_final");
      return;
    }
    WebhookRow webhook = found.get();
    String skip = skipReason(delivery, webhook);
    if (skip != null) {
      deliveries.markSkipped(delivery.id(), delivery.attempts(), skip);
      return;
    }
    int attempt = delivery.attempts() + 1;
    WebhookSender.Result result = send(delivery, webhook);
    metrics.duration(result.durationNanos());
    int durationMs = (int) Math.min(Integer.MAX_VALUE, result.durationNanos() / 1_000_000);
    if (result.succeeded()) {
      record(delivery, attempt, "succeeded", "success", 0, result, durationMs);
      return;
    }
    boolean gone = Integer.valueOf(410).equals(result.statusCode());
    if (!gone && attempt < maxAttempts) {
      double delay = backoff(attempt).toMillis() / 1000.0;
      record(delivery, attempt, "pending", "retry", delay, result, durationMs);
      return;
    }
    if (record(delivery, attempt, "failed", "failed_final", 0, result, durationMs)) {
      disable(webhook, gone ? "410_gone" : "max_attempts", gone ? GONE_REASON : result.error());
    }
  }

  private String skipReason(ClaimedDelivery delivery, WebhookRow webhook) {
    if (!Objects.equals(webhook.tenantId(), delivery.tenantId())) {
      metrics.dispatchError("tenant_mismatch");
      return "webhook tenant no longer matches the event tenant";
    }
    if (!webhook.enabled()) {
      return "webhook disabled";
    }
    if (!webhook.accepts(delivery.eventType())) {
      return "webhook no longer subscribes to " + delivery.eventType();
    }
    return null;
  }

  private WebhookSender.Result send(ClaimedDelivery delivery, WebhookRow webhook) {
    long started = System.nanoTime();
    // Resolved and checked once; the sender connects to exactly these addresses.
    WebhookUrlGuard.Target target = urlGuard.check(webhook.url());
    if (target.refused()) {
      return new WebhookSender.Result(
          null, "target refused: url " + target.problem(), System.nanoTime() - started);
    }
    return sender.send(
        target, webhook.signingKey(), delivery.eventId().toString(), delivery.payload());
  }

  /** Records the attempt; false when the delivery is gone or another worker recorded it first. */
  private boolean record(
      ClaimedDelivery delivery,
      int attempt,
      String status,
      String outcome,
      double retryDelaySeconds,
      WebhookSender.Result result,
      int durationMs) {
    boolean recorded =
        deliveries
            .recordAttempt(
                delivery.id(),
                attempt,
                status,
                outcome,
                retryDelaySeconds,
                result.statusCode(),
                durationMs,
                result.error())
            .isPresent();
    if (recorded) {
      metrics.delivery(delivery.eventType(), outcome);
    } else {
      LOG.info(
          "webhook delivery {} attempt {} not recorded: the delivery was removed or already"
              + " recorded",
          delivery.id(),
          attempt);
    }
    return recorded;
  }

  private void disable(WebhookRow webhook, String metricReason, String reason) {
    try {
      if (webhooks.disableAfterDeliveryFailure(webhook.id(), reason)) {
        metrics.disabled(metricReason);
        LOG.error(
            "webhook disabled webhook_id={} tenant_id={} reason={} detail={}",
            webhook.id(),
            webhook.tenantId(),
            metricReason,
            reason);
      }
    } catch (TenantWriteConflictException e) {
      LOG.warn(
          "disable skipped, tenant purge in progress webhook_id={} tenant_id={}",
          webhook.id(),
          webhook.tenantId());
    } catch (RuntimeException e) {
      LOG.error("failed to disable webhook webhook_id={}", webhook.id(), e);
    }
  }

  /** {@code base * 2^(attempt-1)}, at most an hour. */
  Duration backoff(int attempt) {
    return backoff.after(attempt);
  }
}
