package org.feedbackhub.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.feedbackhub.testing.WebhookFixtures.count;
import static org.feedbackhub.testing.WebhookFixtures.createRecord;
import static org.feedbackhub.testing.WebhookFixtures.createWebhook;
import static org.feedbackhub.testing.WebhookFixtures.json;
import static org.feedbackhub.testing.WebhookFixtures.status;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.WebhookReceiver;
import org.feedbackhub.testing.WebhookReceiver.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Delivery through the outbox to a real receiver on 127.0.0.1 that checks every signature. */
class WebhookDeliveryIT {
  static final HubApp APP =
      HubApp.builder()
          .set("webhooks.allowPrivateTargets", "true")
          .set("webhooks.blacklist", "")
          .set("webhooks.pollInterval", "50ms")
          .set("webhooks.retryBackoffBase", "100ms")
          .set("webhooks.httpTimeoutSeconds", "2")
          .set("webhooks.deliveryMaxAttempts", "3")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static final WebhookReceiver RECEIVER = new WebhookReceiver();

  static final Duration WAIT = Duration.ofSeconds(15);

  @AfterAll
  static void stopReceiver() {
    RECEIVER.close();
  }

  static List<Request> awaitRequests(String path, int count) {
    return await()
        .atMost(WAIT)
        .until(() -> RECEIVER.received(path), received -> received.size() >= count);
  }

  static long counter(String name) {
    return EXT.getEnvironment().metrics().counter(name).getCount();
  }

  @Test
  void webhookAndFeedbackEventsArriveSignedWithTheirPayload() {
    String tenant = TenantIds.fresh();
    JsonNode watcher = createWebhook(APP, tenant, RECEIVER.url("watch"), null);
    String key = watcher.path("signing_key").asText();
    String watcherId = watcher.path("id").asText();

    Request created = awaitRequests("watch", 1).get(0);
    assertThat(created.isSignedWith(key)).isTrue();
    assertThat(created.json().path("id").asText()).isEqualTo(created.id());
    assertThat(Long.parseLong(created.timestamp()))
        .isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond() + 5);
    assertThat(created.json().path("type").asText()).isEqualTo("webhook.created");
    assertThat(created.json().path("tenant_id").asText()).isEqualTo(tenant);
    assertThat(created.json().path("timestamp").asText()).endsWith("Z");
    assertThat(created.json().path("data").path("id").asText()).isEqualTo(watcherId);
    assertThat(created.json().path("data").has("signing_key")).isFalse();
    assertThat(created.json().has("changed_fields")).isFalse();

    String otherId =
        createWebhook(APP, tenant, RECEIVER.url("deleted-only"), "[\"webhook.deleted\"]")
            .path("id")
            .asText();
    assertThat(
            status(APP.patch("/v1/webhooks/" + otherId, "{\"url\":\"" + RECEIVER.url("x") + "\"}")))
        .isEqualTo(200);
    assertThat(status(APP.delete("/v1/webhooks/" + otherId))).isEqualTo(204);
    String recordId = createRecord(APP, tenant);

    List<Request> all = awaitRequests("watch", 5);
    assertThat(all).allSatisfy(r -> assertThat(r.isSignedWith(key)).isTrue());
    assertThat(all)
        .extracting(r -> r.json().path("type").asText())
        .containsExactlyInAnyOrder(
            "webhook.created",
            "webhook.created",
            "webhook.updated",
            "webhook.deleted",
            "feedback_record.created");
    Request updated = byType(all, "webhook.updated");
    assertThat(updated.json().path("changed_fields").toString()).isEqualTo("[\"url\"]");
    assertThat(updated.json().path("data").path("url").asText()).isEqualTo(RECEIVER.url("x"));
    Request deleted = byType(all, "webhook.deleted");
    assertThat(deleted.json().path("data").toString()).isEqualTo("[\"" + otherId + "\"]");
    Request record = byType(all, "feedback_record.created");
    assertThat(record.json().path("data").path("id").asText()).isEqualTo(recordId);
    assertThat(record.json().path("data").path("value_text").asText()).isEqualTo("hello");
    assertThat(record.json().path("tenant_id").asText()).isEqualTo(tenant);
    // The filtered webhook subscribed only to deletions and was itself deleted by then.
    assertThat(RECEIVER.received("deleted-only")).isEmpty();
    assertThat(counter("hub_webhook_deliveries_total.webhook.created.success")).isPositive();
  }

  @Test
  void fanOutIsTenantExact() {
    String tenantA = TenantIds.fresh("a");
    String tenantB = TenantIds.fresh("b");
    createWebhook(APP, tenantA, RECEIVER.url("tenant-a"), null);
    String hookB = createWebhook(APP, tenantB, RECEIVER.url("tenant-b"), null).path("id").asText();
    createRecord(APP, tenantA);
    createRecord(APP, tenantA);

    assertThat(awaitRequests("tenant-a", 3))
        .allSatisfy(r -> assertThat(r.json().path("tenant_id").asText()).isEqualTo(tenantA));
    awaitRequests("tenant-b", 1);
    // Each event is fanned out in one transaction, so A's events reaching A means any delivery
    // to B's webhook would exist by now.
    assertThat(count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?::uuid", hookB))
        .isEqualTo(1);
    assertThat(RECEIVER.received("tenant-b"))
        .singleElement()
        .satisfies(r -> assertThat(r.json().path("tenant_id").asText()).isEqualTo(tenantB));
  }

  @Test
  void eventTypeFilterSelectsEvents() {
    String tenant = TenantIds.fresh();
    String id =
        createWebhook(APP, tenant, RECEIVER.url("records-only"), "[\"feedback_record.created\"]")
            .path("id")
            .asText();
    createRecord(APP, tenant);
    Request only = awaitRequests("records-only", 1).get(0);
    assertThat(only.json().path("type").asText()).isEqualTo("feedback_record.created");
    assertThat(
            count(
                "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?::uuid"
                    + " AND event_type <> 'feedback_record.created'",
                id))
        .isZero();
  }

  @Test
  void failuresAreRetriedWithTheSameIdThenTheWebhookIsDisabled() {
    String tenant = TenantIds.fresh();
    RECEIVER.respond("fails", r -> 500);
    long disabledBefore = counter("hub_webhook_disabled_total.max_attempts");
    String id = createWebhook(APP, tenant, RECEIVER.url("fails"), null).path("id").asText();

    List<Request> attempts = awaitRequests("fails", 3);
    assertThat(attempts).extracting(Request::id).containsOnly(attempts.get(0).id());
    await()
        .atMost(WAIT)
        .until(() -> !json(APP.get("/v1/webhooks/" + id)).path("enabled").asBoolean());
    JsonNode disabled = json(APP.get("/v1/webhooks/" + id));
    assertThat(disabled.path("disabled_reason").asText()).contains("500");
    assertThat(disabled.path("disabled_at").asText()).endsWith("Z");
    assertThat(
            count(
                "SELECT count(*) FROM webhook_delivery_attempts a JOIN webhook_deliveries d"
                    + " ON d.id = a.delivery_id WHERE d.webhook_id = ?::uuid"
                    + " AND a.status_code = 500 AND a.tenant_id = d.tenant_id",
                id))
        .isEqualTo(3);
    assertThat(
            count(
                "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?::uuid"
                    + " AND status = 'failed' AND attempts = 3",
                id))
        .isEqualTo(1);
    assertThat(counter("hub_webhook_disabled_total.max_attempts")).isEqualTo(disabledBefore + 1);
    assertThat(counter("hub_webhook_deliveries_total.webhook.created.failed_final")).isPositive();
    assertThat(RECEIVER.received("fails")).hasSize(3);
  }

  @Test
  void goneDisablesAtOnce() {
    String tenant = TenantIds.fresh();
    RECEIVER.respond("gone", r -> 410);
    long before = counter("hub_webhook_disabled_total.410_gone");
    String id = createWebhook(APP, tenant, RECEIVER.url("gone"), null).path("id").asText();
    await()
        .atMost(WAIT)
        .until(() -> !json(APP.get("/v1/webhooks/" + id)).path("enabled").asBoolean());
    assertThat(json(APP.get("/v1/webhooks/" + id)).path("disabled_reason").asText())
        .isEqualTo("Endpoint returned 410 Gone");
    assertThat(RECEIVER.received("gone")).hasSize(1);
    assertThat(counter("hub_webhook_disabled_total.410_gone")).isEqualTo(before + 1);
  }

  @Test
  void redirectsAreNotFollowed() {
    String tenant = TenantIds.fresh();
    RECEIVER.respond("moves", r -> 302);
    String id = createWebhook(APP, tenant, RECEIVER.url("moves"), null).path("id").asText();
    awaitRequests("moves", 3);
    await()
        .atMost(WAIT)
        .until(() -> !json(APP.get("/v1/webhooks/" + id)).path("enabled").asBoolean());
    assertThat(RECEIVER.received("redirected")).isEmpty();
  }

  @Test
  void aHangingReceiverIsCutOffAndDoesNotBlockOthers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    RECEIVER.respond(
        "hangs",
        r -> {
          release.await(30, TimeUnit.SECONDS);
          return 200;
        });
    try {
      String hanging =
          createWebhook(APP, TenantIds.fresh(), RECEIVER.url("hangs"), null).path("id").asText();
      awaitRequests("hangs", 1);
      createWebhook(APP, TenantIds.fresh(), RECEIVER.url("fast"), null);
      // The fast receiver is served while the first attempt to the hanging one is still open.
      await().atMost(Duration.ofMillis(1500)).until(() -> RECEIVER.received("fast").size() == 1);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  count(
                          "SELECT count(*) FROM webhook_delivery_attempts a"
                              + " JOIN webhook_deliveries d ON d.id = a.delivery_id"
                              + " WHERE d.webhook_id = ?::uuid AND a.error LIKE 'timed out%'"
                              + " AND a.duration_ms < 4000",
                          hanging)
                      >= 1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void emptyPatchReturnsTheRowAndPublishesNothing() {
    String tenant = TenantIds.fresh();
    JsonNode hook = createWebhook(APP, tenant, RECEIVER.url("noop"), null);
    String id = hook.path("id").asText();
    awaitRequests("noop", 1);
    JsonNode same = json(APP.patch("/v1/webhooks/" + id, "{}"));
    assertThat(same.path("id").asText()).isEqualTo(id);
    assertThat(same.path("updated_at").asText()).isEqualTo(hook.path("updated_at").asText());
    assertThat(
            count(
                "SELECT count(*) FROM outbox_messages WHERE tenant_id = ?"
                    + " AND event_type = 'webhook.updated'",
                tenant))
        .isZero();
    createRecord(APP, tenant);
    awaitRequests("noop", 2);
    assertThat(RECEIVER.received("noop"))
        .extracting(r -> r.json().path("type").asText())
        .containsExactly("webhook.created", "feedback_record.created");
    assertThat(
            count(
                "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?::uuid"
                    + " AND event_type = 'webhook.updated'",
                id))
        .isZero();
  }

  @Test
  void outboxGaugesAreRegistered() {
    MetricRegistry metrics = EXT.getEnvironment().metrics();
    assertThat(metrics.getGauges())
        .containsKeys(
            WebhookMetrics.OUTBOX_DEPTH,
            WebhookMetrics.OUTBOX_OLDEST_AGE,
            WebhookMetrics.DELIVERIES_PENDING);
    assertThat(metrics.getGauges().get(WebhookMetrics.OUTBOX_DEPTH).getValue())
        .isInstanceOf(Long.class);
  }

  private static Request byType(List<Request> requests, String type) {
    return requests.stream()
        .filter(r -> r.json().path("type").asText().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
