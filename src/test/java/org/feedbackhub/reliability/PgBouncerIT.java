package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.HubApplication;
import org.feedbackhub.HubConfiguration;
import org.feedbackhub.tenant.TenantWriteLock;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The key tenant-lock scenarios with the application's pool behind PgBouncer in transaction pooling
 * mode, where consecutive transactions of one client connection may run on different server
 * connections: the locks are transaction-scoped and every lock shares its write's transaction, so
 * they must hold there too. The test plays the purge or the writer on a direct raw connection.
 * Skipped when pgbouncer is not installed ({@code .ci/install-pgbouncer}).
 */
@Tag("reliability")
@EnabledIf("org.feedbackhub.reliability.PgBouncer#installed")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgBouncerIT {
  static final String APP_NAME = "fh-bouncer";

  @RegisterExtension
  @Order(1)
  static final PgBouncer BOUNCER = new PgBouncer();

  static final String PREFIX = "dwbouncer" + UUID.randomUUID().toString().replace("-", "");

  @RegisterExtension
  @Order(2)
  static final DropwizardAppExtension<HubConfiguration> APP =
      new DropwizardAppExtension<>(
          HubApplication.class,
          "config.yml",
          PREFIX,
          ConfigOverride.config(PREFIX, "apiKey", HubApp.API_KEY),
          ConfigOverride.config(PREFIX, "server.applicationConnectors[0].port", "0"),
          ConfigOverride.config(PREFIX, "server.adminConnectors[0].port", "0"),
          ConfigOverride.config(PREFIX, "logging.level", "WARN"),
          ConfigOverride.config(PREFIX, "server.requestLog.appenders[0].threshold", "OFF"),
          ConfigOverride.config(PREFIX, "database.maxConnections", "8"),
          ConfigOverride.config(PREFIX, "database.applicationName", APP_NAME),
          ConfigOverride.config(PREFIX, "tenantPurgeLockTimeoutSeconds", "10"),
          ConfigOverride.config(PREFIX, "webhooks.dispatcherEnabled", "false"),
          ConfigOverride.config(PREFIX, "database.url", BOUNCER::jdbcUrl));

  static Api api() {
    return new Api("http://127.0.0.1:" + APP.getLocalPort());
  }

  @Test
  @Order(1)
  void theApplicationReallyTalksThroughPgBouncer() throws Exception {
    assertThat(api().post("/v1/feedback-records", body(TenantIds.fresh(), "s", null)).status())
        .isEqualTo(201);
    assertThat(BOUNCER.log()).contains("db=feedback");
  }

  @Test
  @Order(2)
  void writersAreRefusedWhileATenantIsPurgedAndOtherTenantsKeepWriting() throws Exception {
    String tenant = TenantIds.fresh("bouncer");
    String other = TenantIds.fresh("bouncer-other");
    Api api = api();
    String id = created(api.post("/v1/feedback-records", body(tenant, "a", null)));
    try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
      assertTenantConflict(api.post("/v1/feedback-records", body(tenant, "b", null)));
      assertTenantConflict(api.patch("/v1/feedback-records/" + id, "{\"value_text\":\"x\"}"));
      assertTenantConflict(api.delete("/v1/feedback-records/" + id));
      assertThat(api.post("/v1/feedback-records", body(other, "a", null)).status()).isEqualTo(201);
      purge.release();
    }
    assertThat(api.patch("/v1/feedback-records/" + id, "{\"value_text\":\"x\"}").status())
        .isEqualTo(200);
    Hygiene.awaitClean(List.of(tenant, other), APP_NAME);
  }

  @Test
  @Order(3)
  void aPurgeWaitsForAnInFlightWriterThenProceedsAndNewWritersFailFastMeanwhile() throws Exception {
    String tenant = TenantIds.fresh("bouncer-purge");
    Api api = api();
    created(api.post("/v1/feedback-records", body(tenant, "a", null)));
    CompletableFuture<Reply> purge;
    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      purge = CompletableFuture.supplyAsync(() -> api.delete("/v1/tenants/" + tenant + "/data"));
      await("the purge queued for the tenant lock")
          .atMost(Duration.ofSeconds(10))
          .until(() -> queuedExclusive(tenant) == 1);
      assertTenantConflict(api.post("/v1/feedback-records", body(tenant, "b", null)));
      writer.release();
    }
    Reply purged = purge.get(15, TimeUnit.SECONDS);
    assertThat(purged.status()).as(purged.body()).isEqualTo(200);
    assertThat(purged.json().path("deleted_feedback_records").asLong()).isEqualTo(1);
    Hygiene.awaitClean(List.of(tenant), APP_NAME);
  }

  @Test
  @Order(4)
  void aGdprEraseIsAllOrNothingAcrossTenants() throws Exception {
    String a = TenantIds.fresh("bouncer-a");
    String b = TenantIds.fresh("bouncer-b");
    String user = "user-" + UUID.randomUUID();
    Api api = api();
    created(api.post("/v1/feedback-records", body(a, "s", user)));
    created(api.post("/v1/feedback-records", body(b, "s", user)));
    try (HeldTenantLock purge = HeldTenantLock.exclusive(a)) {
      assertTenantConflict(api.delete("/v1/feedback-records?user_id=" + user));
      assertThat(userRecords(user)).as("nothing erased").isEqualTo(2);
      Reply scoped = api.delete("/v1/feedback-records?user_id=" + user + "&tenant_id=" + b);
      assertThat(scoped.status()).isEqualTo(200);
      assertThat(scoped.json().path("deleted_count").asLong()).isEqualTo(1);
      purge.release();
    }
    Reply rest = api.delete("/v1/feedback-records?user_id=" + user);
    assertThat(rest.json().path("deleted_count").asLong()).isEqualTo(1);
    assertThat(userRecords(user)).isZero();
    Hygiene.awaitClean(List.of(a, b), APP_NAME);
  }

  static String body(String tenant, String submission, String user) {
    return "{\"tenant_id\":\""
        + tenant
        + "\",\"source_type\":\"bouncer\",\"field_id\":\"f\","
        + "\"field_type\":\"text\",\"submission_id\":\""
        + submission
        + "\""
        + (user == null ? "" : ",\"user_id\":\"" + user + "\"")
        + "}";
  }

  static String created(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().path("id").asText();
  }

  static void assertTenantConflict(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(409);
    assertThat(reply.json().path("code").asText()).isEqualTo("tenant_write_conflict");
    assertThat(reply.header("x-should-retry")).isEqualTo("true");
  }

  /** A direct connection (not through the pooler) holding the tenant key in an open transaction. */
  static long queuedExclusive(String tenant) {
    return Db.queryLong(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            + " AND mode = 'ExclusiveLock' AND objsubid = 1"
            + " AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(?, 0)",
        TenantWriteLock.key(tenant));
  }

  static long userRecords(String user) {
    return Db.queryLong("SELECT count(*) FROM feedback_records WHERE user_id = ?", user);
  }
}
