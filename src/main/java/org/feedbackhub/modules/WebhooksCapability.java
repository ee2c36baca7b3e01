package org.feedbackhub.modules;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.feedbackhub.core.WebhookService;
import org.feedbackhub.core.WebhookUrlGuard;
import org.feedbackhub.db.DeliveryDao;
import org.feedbackhub.events.OutboxDispatcher;
import org.feedbackhub.events.WebhookDeliveryWorker;
import org.feedbackhub.events.WebhookMetrics;
import org.feedbackhub.events.WebhookSender;
import org.feedbackhub.events.WebhooksFactory;
import org.feedbackhub.resources.WebhooksResource;

/**
 * Webhooks and events: the webhooks resource and, unless switched off, the outbox dispatcher that
 * delivers every event with a bounded worker pool.
 */
public final class WebhooksCapability {
  private WebhooksCapability() {}

  public static Capability build(Infrastructure infra) {
    WebhooksFactory settings = infra.configuration().getWebhooks();
    WebhookUrlGuard urlGuard =
        new WebhookUrlGuard(
            settings.blacklistedHosts(),
            settings.isAllowPrivateTargets(),
            settings.allowedCidrs(),
            java.net.InetAddress::getAllByName);
    WebhookService service =
        new WebhookService(infra.jdbi(), infra.lock(), urlGuard, settings.getMaxCount());
    WebhookMetrics metrics = new WebhookMetrics(infra.metrics());
    metrics.registerOutboxGauges(infra.jdbi().onDemand(DeliveryDao.class));
    Capability.Builder capability = Capability.builder().resource(new WebhooksResource(service));
    if (!settings.isDispatcherEnabled()) {
      return capability.build();
    }
    Duration timeout = Duration.ofSeconds(settings.getHttpTimeoutSeconds());
    ExecutorService httpExecutor =
        infra
            .environment()
            .lifecycle()
            .executorService("webhook-http-%d")
            .minThreads(4)
            .maxThreads(4)
            .build();
    WebhookDeliveryWorker worker =
        new WebhookDeliveryWorker(
            infra.jdbi(),
            service,
            urlGuard,
            new WebhookSender(timeout, httpExecutor),
            metrics,
            settings.getDeliveryMaxAttempts(),
            settings.getRetryBackoffBase().toJavaDuration());
    // The lease outlives the HTTP bound twice over, so no other instance re-sends an attempt in
    // flight.
    Duration lease = timeout.multipliedBy(2).plusSeconds(10);
    return capability
        .managed(
            new OutboxDispatcher(
                infra.jdbi(),
                worker,
                metrics,
                new OutboxDispatcher.Settings(
                    settings.getDeliveryMaxConcurrent(),
                    settings.getMaxFanOutPerEvent(),
                    settings.getClaimBatchSize(),
                    settings.getPollInterval().toJavaDuration(),
                    lease)))
        .build();
  }
}
