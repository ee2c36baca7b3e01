package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.feedbackhub.testing.WebhookFixtures.count;
import static org.feedbackhub.testing.WebhookFixtures.createWebhook;
import static org.feedbackhub.testing.WebhookFixtures.json;
import static org.feedbackhub.testing.WebhookFixtures.status;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.events.WebhookDeliveryWorker;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.feedbackhub.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Webhook writes against a purge in progress, played by this test holding the tenant's lock
 * exclusively on a raw connection; and the delivery worker's purge rules.
 */
@Tag("concurrency")
class WebhookTenantLockIT {
  static final HubApp APP =
      HubApp.builder()
          .set("webhooks.allowPrivateTargets", "true")
          .set("webhooks.blacklist", "")
          .set("webhooks.pollInterval", "50ms")
          .set("webhooks.retryBackoffBase", "50ms")
          .set("webhooks.httpTimeoutSeconds", "2")
          .set("webhooks.deliveryMaxAttempts", "2")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static final WebhookReceiver RECEIVER = new WebhookReceiver();

  @AfterAll
  static void stopReceiver() {
    RECEIVER.close();
  }

  static void assertRetryableConflict(Response response, String detail) {
    assertThat(response.getStatus()).isEqualTo(409);
    assertThat(response.getHeaderString("x-should-retry")).isEqualTo("true");
    assertThat(response.getHeaderString("Retry-After")).isNotBlank();
    JsonNode problem = json(response);
    assertThat(problem.path("code").asText()).isEqualTo("tenant_write_conflict");
    assertThat(problem.path("type").asText())
        .isEqualTo("https://hub.formbricks.com/problems/tenant-write-conflict");
    assertThat(problem.path("detail").asText()).isEqualTo(detail);
  }

  @Test
  void webhookWritesAreRefusedWhileTheTenantIsPurgedAndOtherTenantsKeepWriting() throws Exception {
    String tenant = TenantIds.fresh("a");
    String other = TenantIds.fresh("b");
    String id = createWebhook(APP, tenant, RECEIVER.url("locked"), null).path("id").asText();
    long deliveriesBefore =
        count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", tenant);
    long outboxBefore = count("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", tenant);
    try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
      String refused = TenantWriteConflictException.WRITER_REFUSED;
      assertRetryableConflict(
          APP.post(
              "/v1/webhooks",
              "{\"url\":\"" + RECEIVER.url("locked2") + "\",\"tenant_id\":\"" + tenant + "\"}"),
          refused);
      assertRetryableConflict(APP.patch("/v1/webhooks/" + id, "{\"enabled\":false}"), refused);
      assertRetryableConflict(APP.delete("/v1/webhooks/" + id), refused);
      // An empty PATCH takes no lock.
      assertThat(status(APP.patch("/v1/webhooks/" + id, "{}"))).isEqualTo(200);

      createWebhook(APP, other, RECEIVER.url("other-tenant"), null);

      assertThat(count("SELECT count(*) FROM webhooks WHERE tenant_id = ?", tenant)).isEqualTo(1);
      assertThat(count("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", tenant))
          .isLessThanOrEqualTo(outboxBefore);
      assertThat(count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", tenant))
          .isLessThanOrEqualTo(Math.max(1, deliveriesBefore));
    }
    assertThat(status(APP.patch("/v1/webhooks/" + id, "{\"enabled\":false}"))).isEqualTo(200);
    assertThat(status(APP.delete("/v1/webhooks/" + id))).isEqualTo(204);
  }

  @Test
  void movingAWebhookLocksTheTargetTenant() throws Exception {
    String from = TenantIds.fresh("from");
    String to = TenantIds.fresh("to");
    String id = createWebhook(APP, from, RECEIVER.url("mover"), null).path("id").asText();
    String move = "{\"tenant_id\":\"" + to + "\"}";
    try (HeldTenantLock purge = HeldTenantLock.exclusive(to)) {
      assertRetryableConflict(
          APP.patch("/v1/webhooks/" + id, move), TenantWriteConflictException.WRITER_REFUSED);
    }
    JsonNode moved = json(APP.patch("/v1/webhooks/" + id, move));
    assertThat(moved.path("tenant_id").asText()).isEqualTo(to);
  }

  @Test
  void aRowMovedBetweenResolveAndWriteIsAConcurrentModification() throws Exception {
    String tenant = TenantIds.fresh();
    String id = createWebhook(APP, tenant, RECEIVER.url("raced"), null).path("id").asText();
    try (Connection mover = TestDatabase.get().rawConnection("test-webhook-mover")) {
      mover.setAutoCommit(false);
      try (var s = mover.prepareStatement("UPDATE webhooks SET tenant_id = ? WHERE id = ?::uuid")) {
        s.setString(1, TenantIds.fresh("elsewhere"));
        s.setString(2, id);
        s.executeUpdate();
      }
      // The PATCH resolves the old tenant, locks it, and its UPDATE then waits for our row lock.
      CompletableFuture<Response> patch =
          CompletableFuture.supplyAsync(
              () -> APP.patch("/v1/webhooks/" + id, "{\"enabled\":false}"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  count(
                          "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                              + " AND query LIKE '%WebhookDao.update%'")
                      >= 1);
      mover.commit();
      assertRetryableConflict(
          patch.get(10, TimeUnit.SECONDS), TenantWriteConflictException.WEBHOOK_MOVED);
    }
  }

  /**
   * A webhook deleted by someone else between the resolve step and the write is gone: the PATCH or
   * DELETE answers 404, not a retryable "modified concurrently" whose retry could only 404.
   */
  @Test
  void aRowDeletedBetweenResolveAndWriteIsNotFound() throws Exception {
    for (String method : new String[] {"PATCH", "DELETE"}) {
      String tenant = TenantIds.fresh();
      String id = createWebhook(APP, tenant, RECEIVER.url("gone"), null).path("id").asText();
      try (Connection deleter = TestDatabase.get().rawConnection("test-webhook-deleter")) {
        deleter.setAutoCommit(false);
        try (var s = deleter.prepareStatement("DELETE FROM webhooks WHERE id = ?::uuid")) {
          s.setString(1, id);
          s.executeUpdate();
        }
        CompletableFuture<Response> write =
            CompletableFuture.supplyAsync(
                () ->
                    method.equals("PATCH")
                        ? APP.patch("/v1/webhooks/" + id, "{\"enabled\":false}")
                        : APP.delete("/v1/webhooks/" + id));
        String statement = method.equals("PATCH") ? "WebhookDao.update" : "WebhookDao.delete";
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    count(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                + " AND query LIKE ?",
                            "%" + statement + "%")
                        >= 1);
        deleter.commit();
        Response response = write.get(10, TimeUnit.SECONDS);
        assertThat(response.getStatus()).as(method).isEqualTo(404);
        assertThat(json(response).path("code").asText()).isEqualTo("not_found");
      }
    }
  }

  @Test
  void aDisableRefusedByAPurgeIsSkippedAndTheFailureStillRecorded() throws Exception {
    String tenant = TenantIds.fresh();
    CountDownLatch firstAttempt = new CountDownLatch(1);
    CountDownLatch purgeHeld = new CountDownLatch(1);
    RECEIVER.respond(
        "purged",
        r -> {
          firstAttempt.countDown();
          purgeHeld.await(10, TimeUnit.SECONDS);
          return 500;
        });
    ListAppender<ILoggingEvent> logs = capture(WebhookDeliveryWorker.class);
    long disabledBefore = counter("hub_webhook_disabled_total.max_attempts");
    String id = createWebhook(APP, tenant, RECEIVER.url("purged"), null).path("id").asText();
    try {
      assertThat(firstAttempt.await(10, TimeUnit.SECONDS)).isTrue();
      try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
        purgeHeld.countDown();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    logs.list.stream()
                        .anyMatch(
                            e ->
                                e.getFormattedMessage()
                                    .contains("disable skipped, tenant purge in progress")));
        assertThat(
                count(
                    "SELECT count(*) FROM webhook_delivery_attempts a JOIN webhook_deliveries d"
                        + " ON d.id = a.delivery_id WHERE d.webhook_id = ?::uuid"
                        + " AND a.outcome = 'failed_final' AND a.status_code = 500",
                    id))
            .isEqualTo(1);
        assertThat(counter("hub_webhook_disabled_total.max_attempts")).isEqualTo(disabledBefore);
        assertThat(count("SELECT count(*) FROM webhooks WHERE id = ?::uuid AND enabled", id))
            .isEqualTo(1);
      }
    } finally {
      purgeHeld.countDown();
      ((Logger) LoggerFactory.getLogger(WebhookDeliveryWorker.class)).detachAppender(logs);
    }
  }

  @Test
  void theDisabledMetricCountsOnlyADisableThatWasWritten() {
    String tenant = TenantIds.fresh();
    RECEIVER.respond("fails-free", r -> 500);
    long disabledBefore = counter("hub_webhook_disabled_total.max_attempts");
    String id = createWebhook(APP, tenant, RECEIVER.url("fails-free"), null).path("id").asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                count("SELECT count(*) FROM webhooks WHERE id = ?::uuid AND NOT enabled", id) == 1);
    assertThat(counter("hub_webhook_disabled_total.max_attempts")).isEqualTo(disabledBefore + 1);
  }

  static long counter(String name) {
    return EXT.getEnvironment().metrics().counter(name).getCount();
  }

  static ListAppender<ILoggingEvent> capture(Class<?> type) {
    Logger logger = (Logger) LoggerFactory.getLogger(type);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    return appender;
  }
}
