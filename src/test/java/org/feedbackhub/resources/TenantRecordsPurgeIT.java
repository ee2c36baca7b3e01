package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code DELETE /v1/tenants/{tenant_id}/feedback-records} end to end: 202 with the contract's body
 * at once, one purge (and one job) per tenant however many ask, the job deleting the tenant's
 * records in the background while its webhooks and settings stay, a new purge after completion, and
 * 400 for a bad tenant id.
 */
class TenantRecordsPurgeIT {
  static final HubApp APP =
      HubApp.builder()
          .set("webhooks.dispatcherEnabled", "false")
          .set("recordsPurge.pollInterval", "50ms")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @Test
  void acceptsAt202AndPurgesTheRecordsButNotTheWebhooksOrSettings() {
    String tenant = TenantIds.fresh("route");
    fill(tenant, 2500);
    Db.execute(
        "INSERT INTO webhooks (url, signing_key, tenant_id) VALUES ('https://example.org/h', 'k', ?)",
        tenant);
    Db.execute("INSERT INTO tenant_settings (tenant_id, settings) VALUES (?, '{}')", tenant);

    Response accepted = APP.delete(path(tenant));

    assertThat(accepted.getStatus()).isEqualTo(202);
    JsonNode body = accepted.readEntity(JsonNode.class);
    assertThat(body.size()).isEqualTo(3);
    assertThat(body.get("tenant_id").asText()).isEqualTo(tenant);
    assertThat(body.get("status").asText()).isEqualTo("accepted");
    assertThat(body.get("message").asText())
        .isEqualTo("Feedback records purge accepted for " + tenant);
    awaitCompleted(tenant, 1);
    assertThat(count("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant)).isZero();
    assertThat(
            count(
                "SELECT deleted_feedback_records FROM tenant_records_purges WHERE tenant_id = ?",
                tenant))
        .isEqualTo(2500);
    assertThat(count("SELECT count(*) FROM webhooks WHERE tenant_id = ?", tenant)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM tenant_settings WHERE tenant_id = ?", tenant))
        .isEqualTo(1);
    assertThat(
            count(
                "SELECT count(*) FROM outbox_messages WHERE tenant_id = ? AND topic = 'event'",
                tenant))
        .as("no webhook events published")
        .isZero();

    fill(tenant, 3);
    assertThat(APP.delete(path(tenant)).getStatus()).isEqualTo(202);
    awaitCompleted(tenant, 2);
    assertThat(count("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant)).isZero();
  }

  @Test
  void tenConcurrentRequestsJoinOnePurgeWithOneJob() throws Exception {
    String tenant = TenantIds.fresh("route-join");
    fill(tenant, 10);
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      List<CompletableFuture<Integer>> replies = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        replies.add(
            CompletableFuture.supplyAsync(() -> APP.delete(path(tenant)).getStatus(), pool));
      }
      for (CompletableFuture<Integer> reply : replies) {
        assertThat(reply.get()).isEqualTo(202);
      }
      assertThat(count("SELECT count(*) FROM tenant_records_purges WHERE tenant_id = ?", tenant))
          .isEqualTo(1);
      assertThat(
              count(
                  "SELECT count(*) FROM outbox_messages WHERE tenant_id = ?"
                      + " AND topic = 'records_purge'",
                  tenant))
          .isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    awaitCompleted(tenant, 1);
    assertThat(count("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant)).isZero();
    assertThat(
            count(
                "SELECT count(*) FROM outbox_messages WHERE tenant_id = ?"
                    + " AND topic = 'records_purge'",
                tenant))
        .as("the job is gone with its purge")
        .isZero();
  }

  @Test
  void anEmptyTenantCompletesAtOnce() {
    String tenant = TenantIds.fresh("route-empty");
    assertThat(APP.delete(path(tenant)).getStatus()).isEqualTo(202);
    awaitCompleted(tenant, 1);
    assertThat(
            count(
                "SELECT count(*) FROM tenant_records_purges WHERE tenant_id = ?"
                    + " AND high_water_mark IS NULL AND deleted_feedback_records = 0",
                tenant))
        .isEqualTo(1);
  }

  @Test
  void aBadTenantIdIsA400ValidationProblemAndAcceptsNothing() {
    long before = count("SELECT count(*) FROM tenant_records_purges");
    for (String bad : new String[] {"%20%20", "x".repeat(256)}) {
      Response reply = APP.delete("/v1/tenants/" + bad + "/feedback-records");
      assertThat(reply.getStatus()).as(bad).isEqualTo(400);
      assertThat(reply.getMediaType().toString()).startsWith("application/problem+json");
      assertThat(reply.readEntity(JsonNode.class).get("code").asText()).isEqualTo("validation");
    }
    assertThat(count("SELECT count(*) FROM tenant_records_purges")).isEqualTo(before);
  }

  private static String path(String tenant) {
    return "/v1/tenants/" + tenant + "/feedback-records";
  }

  private static void awaitCompleted(String tenant, int purges) {
    await("records purges of " + tenant + " completed")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM tenant_records_purges WHERE tenant_id = ?"
                            + " AND state = 'completed'",
                        tenant)
                    == purges);
  }

  private static void fill(String tenant, int records) {
    Db.execute(
        """
        INSERT INTO feedback_records (source_type, field_id, field_type, tenant_id, submission_id)
        SELECT 'survey', 'q1', 'text', ?, gen_random_uuid()::text FROM generate_series(1, ?) g
        """,
        tenant,
        records);
  }

  private static long count(String sql, Object... params) {
    return Db.queryLong(sql, params);
  }
}
