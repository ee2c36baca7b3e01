package org.feedbackhub.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.feedbackhub.testing.WebhookFixtures.count;
import static org.feedbackhub.testing.WebhookFixtures.createWebhook;
import static org.feedbackhub.testing.WebhookFixtures.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.WebhookReceiver;
import org.feedbackhub.testing.WebhookReceiver.Request;
import org.junit.jupiter.api.Test;

/**
 * Durability and exclusivity of the outbox with whole application instances on one database. No app
 * runs for the whole class, so only the instances a test starts deliver.
 */
class OutboxDurabilityIT {
  static HubApp app(boolean dispatcher) {
    return HubApp.builder()
        .set("webhooks.allowPrivateTargets", "true")
        .set("webhooks.blacklist", "")
        .set("webhooks.pollInterval", "20ms")
        .set("webhooks.retryBackoffBase", "100ms")
        .set("webhooks.httpTimeoutSeconds", "2")
        .set("webhooks.dispatcherEnabled", Boolean.toString(dispatcher))
        .build();
  }

  @Test
  void anEventCommittedBeforeAStopIsDeliveredOnceAfterRestart() throws Exception {
    String tenant = TenantIds.fresh();
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      HubApp first = app(false);
      first.extension().before();
      JsonNode hook;
      try {
        hook = createWebhook(first, tenant, receiver.url("durable"), null);
      } finally {
        first.extension().after();
      }
      assertThat(receiver.received("durable")).isEmpty();
      assertThat(
              count(
                  "SELECT count(*) FROM outbox_messages WHERE tenant_id = ?"
                      + " AND event_type = 'webhook.created'",
                  tenant))
          .isEqualTo(1);

      HubApp second = app(true);
      second.extension().before();
      try {
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    count(
                            "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?::uuid"
                                + " AND status = 'succeeded'",
                            hook.path("id").asText())
                        == 1);
        Request delivered = receiver.received("durable").get(0);
        assertThat(receiver.received("durable")).hasSize(1);
        assertThat(delivered.json().path("type").asText()).isEqualTo("webhook.created");
        assertThat(delivered.isSignedWith(hook.path("signing_key").asText())).isTrue();
      } finally {
        second.extension().after();
      }
    }
  }

  @Test
  void twoDispatchersOnOneDatabaseDeliverEachEventOnce() throws Exception {
    String tenant = TenantIds.fresh();
    HubApp one = app(true);
    HubApp two = app(true);
    one.extension().before();
    two.extension().before();
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String id = createWebhook(one, tenant, receiver.url("once"), null).path("id").asText();
      int updates = 30;
      for (int i = 0; i < updates; i++) {
        HubApp via = i % 2 == 0 ? one : two;
        assertThat(
                status(
                    via.patch(
                        "/v1/webhooks/" + id,
                        "{\"url\":\"" + receiver.url("once") + "\",\"enabled\":true}")))
            .isEqualTo(200);
      }
      int events = updates + 1;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  count(
                          "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?::uuid"
                              + " AND status = 'succeeded'",
                          id)
                      == events);
      List<Request> received = receiver.received("once");
      Set<String> ids = new HashSet<>();
      received.forEach(r -> ids.add(r.id()));
      assertThat(ids).hasSize(events);
      assertThat(received).hasSize(events);
      assertThat(count("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", tenant))
          .isZero();
    } finally {
      two.extension().after();
      one.extension().after();
    }
  }
}
