package org.feedbackhub.events;

import com.codahale.metrics.CachedGauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.feedbackhub.db.DeliveryDao;

/**
 * The webhook delivery metrics, named so that a Prometheus bridge can restore the reference's
 * labelled series.
 *
 * <p>Naming scheme: {@code <prometheus name>.<label value>...}, label values in the order listed
 * below. Event types contain a dot themselves, so the bridge takes {@code status} from the last
 * segment and {@code event_type} from everything between the name and it.
 *
 * <ul>
 *   <li>{@code hub_webhook_deliveries_total.<event_type>.<status>} (counter) &rarr; {@code
 *       hub_webhook_deliveries_total{event_type,status}}; status is {@code success}, {@code retry}
 *       or {@code failed_final}
 *   <li>{@code hub_webhook_disabled_total.<reason>} (counter) &rarr; {@code
 *       hub_webhook_disabled_total{reason}}; reason is {@code max_attempts} or {@code 410_gone}
 *   <li>{@code hub_webhook_dispatch_errors_total.<reason>} (counter) &rarr; {@code
 *       hub_webhook_dispatch_errors_total{reason}}; reason is {@code get_webhook_failed}, {@code
 *       tenant_mismatch}, {@code missing_tenant_id}, {@code invalid_event} or {@code
 *       dispatch_failed}
 *   <li>{@code hub_webhook_delivery_duration_seconds} (timer) &rarr; the histogram of the same
 *       name; the bridge converts the timer's nanoseconds to seconds
 *   <li>{@code hub_outbox_depth.event}, {@code hub_outbox_oldest_age_seconds.event} (gauges) &rarr;
 *       {@code hub_outbox_depth{topic="event"}} etc.: events not yet fanned out
 *   <li>{@code hub_webhook_deliveries_pending} (gauge): deliveries waiting for an attempt
 * </ul>
 */
public final class WebhookMetrics {
  public static final String DELIVERIES = "hub_webhook_deliveries_total";
  public static final String DISABLED = "hub_webhook_disabled_total";
  public static final String DISPATCH_ERRORS = "hub_webhook_dispatch_errors_total";
  public static final String DURATION = "hub_webhook_delivery_duration_seconds";
  public static final String OUTBOX_DEPTH = "hub_outbox_depth.event";
  public static final String OUTBOX_OLDEST_AGE = "hub_outbox_oldest_age_seconds.event";
  public static final String DELIVERIES_PENDING = "hub_webhook_deliveries_pending";

  private final MetricRegistry registry;
  private final Timer duration;

  public WebhookMetrics(MetricRegistry registry) {
    this.registry = registry;
    this.duration = registry.timer(DURATION);
  }

  /** Registers the outbox gauges; each read queries at most once per second. */
  public void registerOutboxGauges(DeliveryDao dao) {
    Supplier<DeliveryDao.OutboxStats> stats =
        new CachedGauge<DeliveryDao.OutboxStats>(1, TimeUnit.SECONDS) {
              @Override
              protected DeliveryDao.OutboxStats loadValue() {
                return dao.stats();
              }
            }
            ::getValue;
    registry.gauge(OUTBOX_DEPTH, () -> () -> stats.get().depth());
    registry.gauge(OUTBOX_OLDEST_AGE, () -> () -> stats.get().oldestAgeSeconds());
    registry.gauge(DELIVERIES_PENDING, () -> () -> stats.get().pendingDeliveries());
  }

  public void delivery(String eventType, String status) {
    registry.counter(MetricRegistry.name(DELIVERIES, eventType, status)).inc();
  }

  public void disabled(String reason) {
    registry.counter(MetricRegistry.name(DISABLED, reason)).inc();
  }

  public void dispatchError(String reason) {
    registry.counter(MetricRegistry.name(DISPATCH_ERRORS, reason)).inc();
  }

  public void duration(long nanos) {
    duration.update(nanos, TimeUnit.NANOSECONDS);
  }
}
