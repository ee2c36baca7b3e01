package org.feedbackhub.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.tenant.TenantWriteLock;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The feed tells the truth about a known situation, with the application pool (one connection)
 * exhausted by the queued purge.
 */
class LockMonitorIT {
  /**
   * This app's own pool name: other apps of the test JVM may still hold "feedback-hub" backends.
   */
  private static final String APP_NAME = "feedback-hub-lock-monitor-it";

  static final HubApp APP =
      HubApp.builder()
          .set("database.maxConnections", "1")
          .set("database.applicationName", APP_NAME)
          // background workers would share the one connection; this test exhausts it with a purge
          .set("webhooks.dispatcherEnabled", "false")
          .set("tenantPurgeLockTimeoutSeconds", "60")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static JsonNode feed(String query) {
    AdminHttp.Reply reply = AdminHttp.get(APP.adminUrl() + LockMonitorServlet.PATH + query);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  static List<JsonNode> rowsOf(JsonNode feed, String tenant) {
    List<JsonNode> rows = new ArrayList<>();
    feed.get("locks")
        .forEach(
            r ->
                (tenant.equals(r.path("tenant_id").asText()) ? rows : new ArrayList<JsonNode>())
                    .add(r));
    return rows;
  }

  static long hash(Connection c, String tenant) throws Exception {
    try (PreparedStatement s = c.prepareStatement("SELECT hashtextextended(?, 0)")) {
      s.setString(1, TenantWriteLock.key(tenant));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void showsTheHolderAndTheQueuedPurgeOfATenantAndNothingElse() throws Exception {
    String a = TenantIds.fresh("a");
    String b = TenantIds.fresh("b");
    try (HeldTenantLock holder = HeldTenantLock.shared(a);
        Connection writerB = TestDatabase.get().rawConnection("feedback-hub-test-writer-b")) {
      CompletableFuture<AdminHttp.Reply> purge =
          CompletableFuture.supplyAsync(
              () ->
                  AdminHttp.post(
                      APP.adminUrl()
                          + PurgeTenantServlet.PATH
                          + "?tenant_id="
                          + URLEncoder.encode(a, StandardCharsets.UTF_8),
                      AdminHttp.csrf()));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> rowsOf(feed(""), a).stream().anyMatch(r -> !r.get("granted").asBoolean()));

      // a write for another tenant proceeds while A's purge waits
      writerB.setAutoCommit(false);
      try (PreparedStatement s =
          writerB.prepareStatement(
              "SELECT pg_try_advisory_xact_lock_shared(hashtextextended(?, 0))")) {
        s.setString(1, TenantWriteLock.key(b));
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          assertThat(rs.getBoolean(1)).isTrue();
        }
      }
      writerB.commit();

      JsonNode feed = feed("");
      long keyA = hash(writerB, a);
      long keyB = hash(writerB, b);
      List<JsonNode> rows = rowsOf(feed, a);
      assertThat(rows).hasSize(2);
      JsonNode held = rows.stream().filter(r -> r.get("granted").asBoolean()).findFirst().get();
      JsonNode queued = rows.stream().filter(r -> !r.get("granted").asBoolean()).findFirst().get();

      assertThat(held.get("pid").asInt()).isEqualTo(holder.pid());
      assertThat(held.get("mode").asText()).isEqualTo("shared");
      assertThat(held.get("pg_mode").asText()).isEqualTo("ShareLock");
      assertThat(held.get("application_name").asText()).isEqualTo("feedback-hub-test-holder");
      assertThat(held.get("key_signed").asText()).isEqualTo(Long.toString(keyA));
      assertThat(held.get("key_unsigned").asText()).isEqualTo(Long.toUnsignedString(keyA));
      assertThat(held.get("xact_age_ms").asLong()).isNotNegative();
      assertThat(held.get("wait_ms").isNull()).isTrue();
      assertThat(held.get("blocked_by").isNull()).isTrue();

      assertThat(queued.get("mode").asText()).isEqualTo("exclusive");
      assertThat(queued.get("pg_mode").asText()).isEqualTo("ExclusiveLock");
      assertThat(queued.get("application_name").asText()).isEqualTo(APP_NAME);
      assertThat(queued.get("key_signed").asText()).isEqualTo(Long.toString(keyA));
      assertThat(queued.get("blocked_by"))
          .extracting(JsonNode::asInt)
          .containsExactly(holder.pid());
      assertThat(queued.get("wait_ms").asLong()).isNotNegative();
      assertThat(queued.get("wait_event_type").asText()).isEqualTo("Lock");
      assertThat(queued.get("wait_event").asText()).isEqualTo("advisory");
      assertThat(queued.get("query").asText()).contains("pg_advisory_xact_lock");

      int monitorPid = feed.get("monitor").get("pid").asInt();
      assertThat(feed.get("monitor").get("application_name").asText())
          .isEqualTo(LockMonitorPool.APPLICATION_NAME);
      assertThat(feed.get("monitor").get("statement_timeout").asText()).isEqualTo("2s");
      feed.get("locks")
          .forEach(
              r -> {
                assertThat(r.get("pid").asInt()).isNotEqualTo(monitorPid);
                assertThat(r.path("tenant_id").asText()).isNotEqualTo(b);
                assertThat(r.get("key_signed").asText()).isNotEqualTo(Long.toString(keyB));
              });

      JsonNode root = null;
      for (JsonNode node : feed.get("blocking_tree")) {
        if (node.get("pid").asInt() == holder.pid()) {
          root = node;
        }
      }
      assertThat(root).isNotNull();
      assertThat(root.get("waiters_behind").asInt()).isEqualTo(1);
      assertThat(root.get("children").get(0).get("pid").asInt())
          .isEqualTo(queued.get("pid").asInt());
      assertThat(feed.get("summary").get("queued_purges").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(feed.get("summary").get("writers_in_flight").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(feed.get("summary").get("longest_wait_ms").asLong()).isNotNegative();

      // the application pool's only connection is the queued purge: the feed answers regardless
      try (PreparedStatement s =
          writerB.prepareStatement(
              "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                  + APP_NAME
                  + "'")) {
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(1);
        }
      }

      JsonNode lookup = feed("?tenant_id=" + URLEncoder.encode(a, StandardCharsets.UTF_8));
      assertThat(lookup.get("lookup").get("key_signed").asText()).isEqualTo(Long.toString(keyA));
      assertThat(lookup.get("lookup").get("rows").asInt()).isEqualTo(2);

      holder.close();
      AdminHttp.Reply done = purge.get(30, TimeUnit.SECONDS);
      assertThat(done.status()).isEqualTo(200);
      assertThat(rowsOf(feed(""), a)).isEmpty();
    }
  }

  @Test
  void aTypedTenantIdIsNamedEvenIfThisProcessNeverLockedIt() throws Exception {
    String stranger = TenantIds.fresh("stranger");
    try (HeldTenantLock holder = HeldTenantLock.exclusive(stranger)) {
      assertThat(rowsOf(feed(""), stranger)).isEmpty();

      JsonNode feed = feed("?tenant_id=" + URLEncoder.encode(stranger, StandardCharsets.UTF_8));

      List<JsonNode> rows = rowsOf(feed, stranger);
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0).get("pid").asInt()).isEqualTo(holder.pid());
      assertThat(rows.get(0).get("mode").asText()).isEqualTo("exclusive");
      assertThat(feed.get("summary").get("tenants_under_purge").asInt()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void aGarbageLookupIsA400() {
    AdminHttp.Reply reply =
        AdminHttp.get(APP.adminUrl() + LockMonitorServlet.PATH + "?tenant_id=" + "x".repeat(300));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("code").asText()).isEqualTo("validation");
  }
}
