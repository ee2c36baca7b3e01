package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.tenant.TenantWriteLock;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults on the real database: the application's own backend is killed with {@code
 * pg_terminate_backend} while it holds the tenant lock. The test parks that backend first, by
 * holding a row lock on a raw connection that its next statement must wait for, and polls {@code
 * pg_stat_activity} until it waits there; no sleeps. A pool of 3 makes a leaked or broken
 * connection show at once.
 */
@Tag("reliability")
class FaultInjectionIT {
  static final String APP_NAME = "fh-fault";

  static final HubApp APP =
      HubApp.builder()
          .set("tenantPurgeLockTimeoutSeconds", "20")
          .set("database.maxConnections", "3")
          .set("database.applicationName", APP_NAME)
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  final Api api = new Api(APP.baseUrl());

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aPurgeWhoseBackendDiesMidPurgeDeletesNothingAndTheNextPurgeWorks() throws Exception {
    String tenant = TenantIds.fresh("fault-purge");
    String first = createRecord(tenant, "a");
    createRecord(tenant, "b");
    CompletableFuture<Reply> purge;
    int pid;
    try (Connection blocker = Backends.rowLocker(first)) {
      purge = CompletableFuture.supplyAsync(() -> api.delete("/v1/tenants/" + tenant + "/data"));
      pid = Backends.awaitWaitingIn(APP_NAME, "TenantPurgeDao.deleteFeedbackRecords");
      assertThat(Backends.holdsExclusiveTenantLock(pid, tenant)).isTrue();
      Backends.terminate(pid);
      Reply failed = purge.get(20, TimeUnit.SECONDS);
      assertDatabaseUnavailable(failed);
      blocker.rollback();
    }
    assertThat(recordCount(tenant)).as("records after the failed purge").isEqualTo(2);
    Hygiene.awaitClean(List.of(tenant), APP_NAME);

    Reply retry = api.delete("/v1/tenants/" + tenant + "/data");
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.json().path("deleted_feedback_records").asLong()).isEqualTo(2);
    assertThat(recordCount(tenant)).isZero();
    Hygiene.awaitClean(List.of(tenant), APP_NAME);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void killingAWriterThatHoldsTheSharedLockLetsTheQueuedPurgeProceedAtOnce() throws Exception {
    String tenant = TenantIds.fresh("fault-writer");
    String id = createRecord(tenant, "a");
    CompletableFuture<Reply> write;
    CompletableFuture<Reply> purge;
    try (Connection blocker = Backends.rowLocker(id)) {
      // The PATCH takes the shared tenant lock, then its UPDATE waits for our row lock.
      write =
          CompletableFuture.supplyAsync(
              () -> api.patch("/v1/feedback-records/" + id, "{\"value_text\":\"never\"}"));
      int writer = Backends.awaitWaitingIn(APP_NAME, "FeedbackRecordDao.update");
      purge = CompletableFuture.supplyAsync(() -> api.delete("/v1/tenants/" + tenant + "/data"));
      await("purge queued behind the writer")
          .atMost(Duration.ofSeconds(15))
          .until(() -> exclusiveTenantLockRequests(tenant, false) == 1);

      long killedAt = System.nanoTime();
      Backends.terminate(writer);
      await("purge granted the tenant lock once the writer died")
          .atMost(Duration.ofSeconds(10))
          .until(() -> exclusiveTenantLockRequests(tenant, true) == 1);
      Duration handover = Duration.ofNanos(System.nanoTime() - killedAt);
      assertThat(handover)
          .as("far below the 20 s purge lock timeout")
          .isLessThan(Duration.ofSeconds(10));
      assertDatabaseUnavailable(write.get(20, TimeUnit.SECONDS));
      // The purge now waits for our row lock in its DELETE; let it finish.
      blocker.rollback();
    }
    Reply purged = purge.get(20, TimeUnit.SECONDS);
    assertThat(purged.status()).as(purged.body()).isEqualTo(200);
    assertThat(purged.json().path("deleted_feedback_records").asLong()).isEqualTo(1);
    assertThat(recordCount(tenant)).isZero();
    Hygiene.awaitClean(List.of(tenant), APP_NAME);
    assertThat(api.post("/v1/feedback-records", body(TenantIds.fresh("after"), "x")).status())
        .as("the pool serves requests after losing a connection")
        .isEqualTo(201);
  }

  String createRecord(String tenant, String submission) {
    Reply created = api.post("/v1/feedback-records", body(tenant, submission));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  static String body(String tenant, String submission) {
    return "{\"tenant_id\":\""
        + tenant
        + "\",\"source_type\":\"fault\",\"field_id\":\"f\","
        + "\"field_type\":\"text\",\"submission_id\":\""
        + submission
        + "\"}";
  }

  static long recordCount(String tenant) {
    return Db.queryLong("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant);
  }

  static long exclusiveTenantLockRequests(String tenant, boolean granted) {
    return Db.queryLong(
        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE a.application_name = ? AND l.locktype = 'advisory'"
            + " AND l.mode = 'ExclusiveLock' AND l.granted = ? AND l.objsubid = 1"
            + " AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(?, 0)",
        APP_NAME,
        granted,
        TenantWriteLock.key(tenant));
  }

  /**
   * A lost backend is the database going away, not a bug: a retryable 503 problem document, not a
   * hang, a 500 or an HTML page.
   */
  static void assertDatabaseUnavailable(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(503);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.json().path("code").asText()).isEqualTo("service_unavailable");
    assertThat(reply.json().path("type").asText()).endsWith("/service-unavailable");
    assertThat(reply.header("Retry-After")).isEqualTo("1");
    assertThat(reply.header("x-should-retry")).isEqualTo("true");
  }
}
