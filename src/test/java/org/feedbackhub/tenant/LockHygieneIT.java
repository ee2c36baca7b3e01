package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.feedbackhub.tenant.TenantConflictAssertions.assertPurgeTimedOut;
import static org.feedbackhub.tenant.TenantConflictAssertions.assertTenantWriteConflict;
import static org.feedbackhub.tenant.TenantConflictAssertions.assertWriterRefused;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.HubConfiguration;
import org.feedbackhub.tenant.Hub.Reply;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestTags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After every failure path, no advisory lock stays held and no connection is left idle in
 * transaction. Pools of one connection make a leak show at once: the next request would wait for a
 * connection that never comes back. The outbox dispatcher is off, so the pool's one connection and
 * every app backend the probe sees belong to the request under test; the apps' own pool name keeps
 * other apps of the test JVM out of the count.
 */
@Tag(TestTags.CONCURRENCY)
class LockHygieneIT {
  private static final String APP_NAME = "feedback-hub-lock-hygiene-it";

  static final HubApp APP =
      HubApp.builder()
          .set("database.maxConnections", "1")
          .set("tenantPurgeLockTimeoutSeconds", "1")
          .set("webhooks.dispatcherEnabled", "false")
          .set("database.applicationName", APP_NAME)
          .build();

  /** Purges wait up to 10 s, so a purge can be held queued while the test acts. */
  static final HubApp PATIENT =
      HubApp.builder()
          .set("database.maxConnections", "1")
          .set("tenantPurgeLockTimeoutSeconds", "10")
          .set("webhooks.dispatcherEnabled", "false")
          .set("database.applicationName", APP_NAME)
          .build();

  @RegisterExtension static final DropwizardAppExtension<HubConfiguration> EXT = APP.extension();

  @RegisterExtension
  static final DropwizardAppExtension<HubConfiguration> PATIENT_EXT = PATIENT.extension();

  private static PgProbe probe;
  private static ExecutorService executor;

  @BeforeAll
  static void start() {
    probe = new PgProbe();
    executor = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stop() throws Exception {
    executor.shutdownNow();
    probe.close();
  }

  private static String appName() {
    assertThat(EXT.getConfiguration().getDatabase().getApplicationName()).isEqualTo(APP_NAME);
    return APP_NAME;
  }

  /** Both apps name their backends alike, so this covers every pooled connection of the class. */
  @AfterEach
  void poolsAreClean() {
    assertThat(PATIENT_EXT.getConfiguration().getDatabase().getApplicationName())
        .isEqualTo(appName());
    assertThat(probe.advisoryLocksOf(appName())).as("advisory locks held by the app").isZero();
    assertThat(probe.idleInTransaction(appName())).as("app backends idle in transaction").isZero();
    for (HubApp app : new HubApp[] {APP, PATIENT}) {
      String tenant = TenantIds.fresh();
      Hub.createRecord(app, tenant);
      assertThat(Hub.recordsOf(app, tenant)).as("the single pooled connection serves").isEqualTo(1);
    }
  }

  @Test
  void writersRefusedDuringPurge() throws Exception {
    String tenant = TenantIds.fresh();
    String user = "user-" + UUID.randomUUID();
    String record = "/v1/feedback-records/" + Hub.createRecord(APP, tenant, user);
    String settings = "/v1/tenants/" + tenant + "/settings";
    try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
      assertWriterRefused(Hub.post(APP, "/v1/feedback-records", Hub.recordBody(tenant, user)));
      assertWriterRefused(Hub.patch(APP, record, "{\"value_text\":\"x\"}"));
      assertWriterRefused(Hub.delete(APP, record));
      assertWriterRefused(Hub.put(APP, settings, "{\"sentiment_enabled\":true}"));
      assertWriterRefused(Hub.patch(APP, settings, "{\"sentiment_enabled\":true}"));
      assertWriterRefused(Hub.delete(APP, "/v1/feedback-records?user_id=" + user));
      assertThat(probe.advisoryLocksOf(appName())).isZero();
      assertThat(probe.idleInTransaction(appName())).isZero();
    }
  }

  @Test
  void purgeTimedOut() throws Exception {
    String tenant = TenantIds.fresh();
    Hub.createRecord(APP, tenant);
    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      assertPurgeTimedOut(Hub.purge(APP, tenant));
      assertThat(probe.advisoryLocksOf(appName())).isZero();
      assertThat(probe.idleInTransaction(appName())).isZero();
    }
  }

  @Test
  void notFoundValidationAndDuplicateFailures() {
    String tenant = TenantIds.fresh();
    String missing = "/v1/feedback-records/" + UUID.randomUUID();
    assertThat(Hub.patch(APP, missing, "{\"value_text\":\"x\"}").status()).isEqualTo(404);
    assertThat(Hub.delete(APP, missing).status()).isEqualTo(404);
    assertThat(Hub.patch(APP, "/v1/feedback-records/not-a-uuid", "{}").status()).isEqualTo(400);
    assertThat(Hub.post(APP, "/v1/feedback-records", "{\"tenant_id\":\"" + tenant + "\"}").status())
        .isEqualTo(400);
    assertThat(Hub.post(APP, "/v1/feedback-records", "{not json").status()).isEqualTo(400);
    assertThat(Hub.put(APP, "/v1/tenants/" + tenant + "/settings", "{\"sentiment_enabled\":1}"))
        .extracting(Reply::status)
        .isEqualTo(400);
    assertThat(Hub.purge(APP, "x".repeat(256)).status()).isEqualTo(400);

    String body = Hub.recordBody(tenant, "u");
    assertThat(Hub.post(APP, "/v1/feedback-records", body).status()).isEqualTo(201);
    Reply duplicate = Hub.post(APP, "/v1/feedback-records", body);
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.body().get("code").asText()).isEqualTo("conflict");
  }

  /**
   * The drift guard throws after the DELETE ran inside the transaction: it must still roll back.
   */
  @Test
  void driftGuardConflict() throws Exception {
    String user = "user-" + UUID.randomUUID();
    String a = TenantIds.fresh("a");
    String c = TenantIds.fresh("c");
    String id = Hub.createRecord(APP, a, user);
    CompletableFuture<Reply> erase;
    try (HeldRowLock rowLock = HeldRowLock.onRecord(id)) {
      erase =
          Hub.async(() -> Hub.patientDelete(APP, "/v1/feedback-records?user_id=" + user), executor);
      probe.awaitBlockedBy(rowLock.pid());
      // The pool's only connection is parked in the erase, so the new record comes in raw.
      Db.execute(
          """
          INSERT INTO feedback_records (source_type, field_id, field_type, submission_id,
                                        tenant_id, user_id)
          VALUES ('survey', 'q1', 'text', ?, ?, ?)
          """,
          UUID.randomUUID().toString(),
          c,
          user);
      rowLock.release();
    }
    assertTenantWriteConflict(
        erase.get(PgProbe.DEADLINE.toSeconds(), TimeUnit.SECONDS),
        TenantWriteConflictException.ERASURE_DRIFT);
    assertThat(Hub.get(APP, "/v1/feedback-records/" + id).status()).isEqualTo(200);
  }

  /**
   * A client that gives up while its purge is queued: the purge still runs to its end on the server
   * and leaves nothing behind.
   */
  @Test
  void clientDisconnectsWhilePurgeQueued() throws Exception {
    String tenant = TenantIds.fresh();
    Hub.createRecord(PATIENT, tenant);
    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      try (Socket socket = new Socket("127.0.0.1", PATIENT_EXT.getLocalPort())) {
        OutputStream out = socket.getOutputStream();
        out.write(
            ("DELETE "
                    + Hub.purgePath(tenant)
                    + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n"
                    + "Authorization: Bearer "
                    + HubApp.API_KEY
                    + "\r\n"
                    + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        probe.awaitPurgeQueued(tenant);
      }
      writer.release();
    }
    await("the abandoned purge finished")
        .atMost(PgProbe.DEADLINE)
        .until(
            () ->
                probe.count(
                            "SELECT count(*) FROM tenant_purges WHERE tenant_id = ?"
                                + " AND outcome = 'ok'",
                            tenant)
                        == 1
                    && probe.active(appName()) == 0);
    assertThat(Hub.recordsOf(PATIENT, tenant)).isZero();
  }

  /** An operator ending the backend of a writer in flight releases its lock at once. */
  @Test
  void terminatingTheWriterBackendLetsAQueuedPurgeProceed() throws Exception {
    String tenant = TenantIds.fresh();
    Hub.createRecord(PATIENT, tenant);
    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      CompletableFuture<Reply> purge = Hub.async(() -> Hub.purge(PATIENT, tenant), executor);
      probe.awaitPurgeQueued(tenant);
      long terminated = System.nanoTime();
      assertThat(probe.terminate(writer.pid())).isTrue();
      Reply done = purge.get(PgProbe.DEADLINE.toSeconds(), TimeUnit.SECONDS);
      // A 200 already proves the lock went (a purge still waiting would time out with a 409); the
      // bound, with room for a loaded CI machine, shows it did not take the 10 s.
      assertThat(Duration.ofNanos(System.nanoTime() - terminated))
          .isLessThan(Duration.ofSeconds(8));
      assertThat(done.status()).isEqualTo(200);
      assertThat(done.body().get("deleted_feedback_records").asLong()).isEqualTo(1);
    }
  }
}
