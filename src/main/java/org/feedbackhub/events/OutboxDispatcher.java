package org.feedbackhub.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.feedbackhub.db.DeliveryDao;
import org.feedbackhub.db.DeliveryDao.ClaimedDelivery;
import org.feedbackhub.db.DeliveryDao.OutboxEvent;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the transactional outbox: a poller fans each committed event out into one delivery per
 * matching webhook of exactly the event's tenant, then leases due deliveries and hands them to a
 * bounded worker pool ({@link WebhookDeliveryWorker}). Safe to run on several instances against one
 * database; see {@link DeliveryDao} for how claims stay exclusive.
 */
public final class OutboxDispatcher extends PollingWorker {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

  /** How long an event that cannot be parsed is parked before it is looked at again. */
  private static final double INVALID_EVENT_PARK_SECONDS = 3600;

  /** Batches of events one poll round fans out at most before it turns to due deliveries. */
  private static final int MAX_BATCHES_PER_ROUND = 20;

  /** Settings of one dispatcher. */
  public record Settings(
      int maxConcurrent,
      int maxFanOutPerEvent,
      int claimBatchSize,
      Duration pollInterval,
      Duration lease) {}

  private final Jdbi jdbi;
  private final DeliveryDao dao;
  private final WebhookDeliveryWorker worker;
  private final WebhookMetrics metrics;
  private final Settings settings;
  private final ObjectMapper json = new ObjectMapper();
  private final Semaphore slots;

  public OutboxDispatcher(
      Jdbi jdbi, WebhookDeliveryWorker worker, WebhookMetrics metrics, Settings settings) {
    // On stop, deliveries in flight get up to their lease to finish. One cut off keeps its lease
    // and is sent again by whichever instance claims it once the lease expires.
    super(
        "outbox-dispatcher-1",
        settings.pollInterval(),
        new Pool("webhook-delivery-", settings.maxConcurrent(), settings.lease()));
    this.jdbi = jdbi;
    this.dao = jdbi.onDemand(DeliveryDao.class);
    this.worker = worker;
    this.metrics = metrics;
    this.settings = settings;
    this.slots = new Semaphore(settings.maxConcurrent());
  }

  /**
   * One round: fan out what the outbox holds, batch after batch up to {@link
   * #MAX_BATCHES_PER_ROUND}, then start as many due deliveries as slots allow.
   */
  @Override
  void poll() {
    try {
      for (int batch = 0; batch < MAX_BATCHES_PER_ROUND; batch++) {
        if (fanOutBatch() < settings.claimBatchSize()) {
          break;
        }
      }
      startDueDeliveries();
    } catch (RuntimeException e) {
      metrics.dispatchError("dispatch_failed");
      PollFailures.log(LOG, "outbox dispatch round", e);
    }
  }

  /**
   * Fans out and removes up to {@code claimBatchSize} of the oldest available events in one
   * transaction.
   *
   * @return how many events were claimed
   */
  private int fanOutBatch() {
    return jdbi.inTransaction(
        handle -> {
          DeliveryDao tx = handle.attach(DeliveryDao.class);
          List<OutboxEvent> claimed = tx.claimEvents(settings.claimBatchSize());
          if (claimed.isEmpty()) {
            return 0;
          }
          Set<String> subscribed =
              tx.tenantsWithEnabledWebhooks(
                  claimed.stream()
                      .map(OutboxEvent::tenantId)
                      .filter(Objects::nonNull)
                      .distinct()
                      .toArray(String[]::new));
          List<UUID> done = new ArrayList<>(claimed.size());
          for (OutboxEvent event : claimed) {
            if (event.tenantId() == null) {
              // A missing tenant matches no webhook (legacy NULL-tenant webhooks get nothing).
              metrics.dispatchError("missing_tenant_id");
              done.add(event.id());
            } else if (!subscribed.contains(event.tenantId()) || fanOut(tx, event)) {
              done.add(event.id());
            }
          }
          tx.deleteEvents(done.toArray(UUID[]::new));
          return claimed.size();
        });
  }

  /**
   * Inserts one delivery per matching webhook of the event's tenant.
   *
   * @return false when the event was parked instead (its payload cannot be read)
   */
  private boolean fanOut(DeliveryDao tx, OutboxEvent event) {
    String payload;
    try {
      payload = deliveryPayload(event);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      metrics.dispatchError("invalid_event");
      LOG.error("outbox event {} has an unreadable payload; parked", event.id(), e);
      tx.parkEvent(event.id(), "invalid payload", INVALID_EVENT_PARK_SECONDS);
      return false;
    }
    UUID after = null;
    while (true) {
      List<UUID> batch =
          tx.matchingWebhooks(
              event.tenantId(), event.eventType(), after, settings.maxFanOutPerEvent());
      if (!batch.isEmpty()) {
        tx.insertDeliveries(
            event.id(), batch.toArray(UUID[]::new), event.tenantId(), event.eventType(), payload);
      }
      if (batch.size() < settings.maxFanOutPerEvent()) {
        return true;
      }
      after = batch.get(batch.size() - 1);
    }
  }

  /**
   * The body every webhook of the event receives: {@code {id, type, timestamp, tenant_id, data,
   * changed_fields?}}, with {@code data} exactly as the writer stored it.
   */
  String deliveryPayload(OutboxEvent event) throws JsonProcessingException {
    JsonNode stored = json.readTree(event.payload());
    if (stored == null || !stored.isObject()) {
      throw new IllegalArgumentException("payload is not an object");
    }
    ObjectNode body = json.createObjectNode();
    body.put("id", event.id().toString());
    body.put("type", event.eventType());
    body.put("timestamp", event.createdAt().toString());
    body.put("tenant_id", event.tenantId());
    body.set("data", stored.path("data").isMissingNode() ? null : stored.get("data"));
    JsonNode changed = stored.get("changed_fields");
    if (changed != null && !changed.isNull()) {
      body.set("changed_fields", changed);
    }
    return json.writeValueAsString(body);
  }

  private void startDueDeliveries() {
    while (true) {
      int free = Math.min(slots.availablePermits(), settings.claimBatchSize());
      if (free == 0) {
        return;
      }
      List<ClaimedDelivery> due = dao.claimDue(settings.lease().toMillis() / 1000.0, free);
      for (ClaimedDelivery delivery : due) {
        // Only this thread acquires, so the permits counted above are still there.
        slots.acquireUninterruptibly();
        execute(
            () -> {
              try {
                worker.deliver(delivery);
              } catch (RuntimeException e) {
                metrics.dispatchError("dispatch_failed");
                LOG.error("webhook delivery {} failed unexpectedly", delivery.id(), e);
              } finally {
                slots.release();
              }
            });
      }
      if (due.size() < free) {
        return;
      }
    }
  }
}
