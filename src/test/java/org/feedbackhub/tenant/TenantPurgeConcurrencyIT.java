package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.feedbackhub.tenant.TenantConflictAssertions.assertPurgeTimedOut;
import static org.feedbackhub.tenant.TenantConflictAssertions.assertTenantWriteConflict;
import static org.feedbackhub.tenant.TenantConflictAssertions.assertWriterRefused;

import com.codahale.metrics.Counter;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.tenant.Hub.Reply;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestTags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The purge and the writers of one tenant through the full application: the test holds the tenant's
 * advisory lock itself (exclusive plays a purge, shared a writer in flight) and waits on {@code
 * pg_locks}, never on the clock.
 */
@Tag(TestTags.CONCURRENCY)
class TenantPurgeConcurrencyIT {
  // The tests read the outbox rows writes leave (or must not leave); a dispatcher would drain them.

  /** Purges give up after 1 s, as in the reference test. */
  static final HubApp APP =
      HubApp.builder()
          .set("tenantPurgeLockTimeoutSeconds", "1")
          .set("webhooks.dispatcherEnabled", "false")
          .build();

  /** Purges wait up to 10 s, long enough to be seen queued. */
  static final HubApp PATIENT =
      HubApp.builder()
          .set("tenantPurgeLockTimeoutSeconds", "10")
          .set("webhooks.dispatcherEnabled", "false")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();
  @RegisterExtension static final DropwizardAppExtension<?> PATIENT_EXT = PATIENT.extension();

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

  private static long purgesOf(String tenantId, String outcome) {
    return probe.count(
        "SELECT count(*) FROM tenant_purges WHERE tenant_id = ? AND outcome = ?",
        tenantId,
        outcome);
  }

  @Test
  void tenantPurgeWaitsForInFlightWritesThenConflicts() throws Exception {
    String tenant = TenantIds.fresh();
    Hub.createRecord(APP, tenant);

    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      long started = System.nanoTime();
      Reply timedOut = Hub.purge(APP, tenant);
      Duration waited = Duration.ofNanos(System.nanoTime() - started);

      assertPurgeTimedOut(timedOut);
      assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(900));
      assertThat(Hub.recordsOf(APP, tenant)).as("nothing deleted").isEqualTo(1);
      assertThat(purgesOf(tenant, "timed_out")).isEqualTo(1);
      assertThat(
              probe.count(
                  "SELECT count(*) FROM tenant_purges WHERE tenant_id = ? AND outcome = 'timed_out'"
                      + " AND deleted_counts = '{}'::jsonb AND lock_wait_ms >= 900"
                      + " AND error = ?",
                  tenant,
                  TenantWriteConflictException.PURGE_TIMED_OUT))
          .isEqualTo(1);

      writer.release();
      Reply purged = Hub.purge(APP, tenant);
      assertThat(purged.status()).isEqualTo(200);
      assertThat(purged.body().get("deleted_feedback_records").asLong()).isEqualTo(1);
    }
    assertThat(purgesOf(tenant, "ok")).isEqualTo(1);
  }

  @Test
  void tenantWritesRejectedDuringPurge() throws Exception {
    String tenant = TenantIds.fresh("a");
    String other = TenantIds.fresh("b");
    String user = "user-" + TenantIds.fresh();
    String id = Hub.createRecord(APP, tenant, user);
    String record = "/v1/feedback-records/" + id;
    String settings = "/v1/tenants/" + tenant + "/settings";
    assertThat(Hub.put(APP, settings, "{\"sentiment_enabled\":true}").status()).isEqualTo(200);

    try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
      String since = probe.now();

      assertWriterRefused(Hub.post(APP, "/v1/feedback-records", Hub.recordBody(tenant, user)));
      assertWriterRefused(Hub.patch(APP, record, "{\"value_text\":\"changed\"}"));
      assertWriterRefused(Hub.delete(APP, record));
      assertWriterRefused(Hub.put(APP, settings, "{\"emotions_enabled\":true}"));
      assertWriterRefused(Hub.patch(APP, settings, "{\"emotions_enabled\":true}"));
      assertWriterRefused(
          Hub.delete(APP, "/v1/feedback-records?user_id=" + user + "&tenant_id=" + tenant));

      // An empty PATCH is a no-op: it takes no lock, so it answers even during a purge.
      Reply noOp = Hub.patch(APP, record, "{}");
      assertThat(noOp.status()).isEqualTo(200);
      assertThat(noOp.body().get("value_text").asText()).isEqualTo("hello");

      // Events commit with their write, so a rejected write leaves no outbox row behind.
      await("no outbox rows for rejected writes")
          .during(Duration.ofMillis(150))
          .atMost(Duration.ofSeconds(2))
          .until(() -> probe.outboxRowsSince(tenant, since) == 0);
      assertThat(Hub.get(APP, record).body().get("value_text").asText()).isEqualTo("hello");
      JsonNode stored = Hub.get(APP, settings).body().get("settings");
      assertThat(stored.path("sentiment_enabled").asBoolean()).isTrue();
      assertThat(stored.has("emotions_enabled")).isFalse();

      // Other tenants keep writing.
      Hub.createRecord(APP, other);
      assertThat(
              Hub.put(APP, "/v1/tenants/" + other + "/settings", "{\"sentiment_enabled\":true}")
                  .status())
          .isEqualTo(200);

      purge.release();
    }
    Reply updated = Hub.patch(APP, record, "{\"value_text\":\"changed\"}");
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.body().get("value_text").asText()).isEqualTo("changed");
    assertThat(Hub.patch(APP, settings, "{\"emotions_enabled\":true}").status()).isEqualTo(200);
  }

  @Test
  void tenantWritesFailFastWhilePurgeQueued() throws Exception {
    String tenant = TenantIds.fresh();
    String id = Hub.createRecord(PATIENT, tenant);

    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      CompletableFuture<Reply> purge = Hub.async(() -> Hub.purge(PATIENT, tenant), executor);
      probe.awaitPurgeQueued(tenant);

      long started = System.nanoTime();
      assertWriterRefused(Hub.post(PATIENT, "/v1/feedback-records", Hub.recordBody(tenant, "u")));
      assertWriterRefused(
          Hub.patch(PATIENT, "/v1/feedback-records/" + id, "{\"value_text\":\"x\"}"));
      // Well below the 10 s the purge may wait (with room for a loaded CI machine): the writers did
      // not queue behind it.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(purge).isNotDone();

      writer.release();
      Reply done = purge.get(PgProbe.DEADLINE.toSeconds(), TimeUnit.SECONDS);
      assertThat(done.status()).isEqualTo(200);
      assertThat(done.body().get("deleted_feedback_records").asLong()).isEqualTo(1);
    }
    assertThat(Hub.recordsOf(PATIENT, tenant)).isZero();
    assertThat(Hub.get(PATIENT, "/v1/feedback-records/" + id).status()).isEqualTo(404);
  }

  @Test
  void gdprDeleteByUserDuringPurge() throws Exception {
    String a = TenantIds.fresh("a");
    String b = TenantIds.fresh("b");
    String user = "user-" + TenantIds.fresh();
    String inA = "/v1/feedback-records/" + Hub.createRecord(APP, a, user);
    String inB = "/v1/feedback-records/" + Hub.createRecord(APP, b, user);

    try (HeldTenantLock purge = HeldTenantLock.exclusive(a)) {
      // Unfiltered: A is under purge, so the whole erase is refused and deletes nothing.
      assertWriterRefused(Hub.delete(APP, "/v1/feedback-records?user_id=" + user));
      assertThat(Hub.get(APP, inA).status()).isEqualTo(200);
      assertThat(Hub.get(APP, inB).status()).isEqualTo(200);

      // Scoped to the tenant not under purge: proceeds.
      Reply scoped = Hub.delete(APP, "/v1/feedback-records?user_id=" + user + "&tenant_id=" + b);
      assertThat(scoped.status()).isEqualTo(200);
      assertThat(scoped.body().get("deleted_count").asLong()).isEqualTo(1);
      assertThat(Hub.get(APP, inA).status()).isEqualTo(200);
      assertThat(Hub.get(APP, inB).status()).isEqualTo(404);

      purge.release();
    }
    Reply after = Hub.delete(APP, "/v1/feedback-records?user_id=" + user);
    assertThat(after.status()).isEqualTo(200);
    JsonNode body = after.body();
    assertThat(body.get("deleted_count").asLong()).isEqualTo(1);
    assertThat(body.get("message").asText()).isEqualTo("Successfully deleted 1 feedback records");
    assertThat(Hub.get(APP, inA).status()).isEqualTo(404);
  }

  /**
   * The drift guard, made deterministic: a row lock held by the test parks the erase inside its
   * DELETE (after it listed and locked the user's tenants A and B); meanwhile a record of the user
   * is created, in a new tenant C or in A itself (shared locks do not exclude each other, and the
   * DELETE's snapshot predates it); then the row lock goes and the erase's EXISTS check sees it.
   */
  @ParameterizedTest(name = "new record in {0}")
  @ValueSource(strings = {"a new tenant", "an already locked tenant"})
  void gdprDeleteByUserDriftGuardRollsBackWhenTheUserGainsARecord(String where) throws Exception {
    String a = TenantIds.fresh("a");
    String b = TenantIds.fresh("b");
    String c = where.equals("a new tenant") ? TenantIds.fresh("c") : a;
    String user = "user-" + TenantIds.fresh();
    String idA = Hub.createRecord(APP, a, user);
    String idB = Hub.createRecord(APP, b, user);

    Counter driftGuards =
        EXT.getEnvironment()
            .metrics()
            .counter("tenant_write_conflicts.drift_guard.feedback_record.delete_by_user");
    long driftGuardsBefore = driftGuards.getCount();
    CompletableFuture<Reply> erase;
    String idC;
    try (HeldRowLock rowLock = HeldRowLock.onRecord(idA)) {
      erase =
          Hub.async(() -> Hub.patientDelete(APP, "/v1/feedback-records?user_id=" + user), executor);
      probe.awaitBlockedBy(rowLock.pid());

      idC = Hub.createRecord(APP, c, user);
      assertThat(erase).isNotDone();
      rowLock.release();
    }

    Reply drift = erase.get(PgProbe.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(driftGuards.getCount()).isEqualTo(driftGuardsBefore + 1);
    assertTenantWriteConflict(drift, TenantWriteConflictException.ERASURE_DRIFT);
    assertThat(drift.body().get("detail").asText())
        .isEqualTo("feedback records for this user changed during deletion; retry");
    for (String id : new String[] {idA, idB, idC}) {
      assertThat(Hub.get(APP, "/v1/feedback-records/" + id).status()).as(id).isEqualTo(200);
    }
    assertThat(
            probe.count(
                "SELECT count(*) FROM outbox_messages WHERE event_type = 'feedback_record.deleted'"
                    + " AND tenant_id IN (?, ?, ?)",
                a,
                b,
                c))
        .as("the rolled-back erase left no deleted events")
        .isZero();

    Reply retry = Hub.delete(APP, "/v1/feedback-records?user_id=" + user);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.body().get("deleted_count").asLong()).isEqualTo(3);
  }

  /**
   * Once the purge holds the tenant, its {@code lock_timeout} is back to 0: a row lock its DELETE
   * meets is waited out, not turned into a half-run purge, however long it lasts past the 1 s.
   */
  @Test
  void purgeDeletesAreNotBoundedByTheLockTimeout() throws Exception {
    String tenant = TenantIds.fresh();
    String id = Hub.createRecord(APP, tenant);
    CompletableFuture<Reply> purge;
    try (HeldRowLock rowLock = HeldRowLock.onRecord(id)) {
      purge = Hub.async(() -> Hub.purge(APP, tenant), executor);
      probe.awaitBlockedBy(rowLock.pid());
      // A wait, not a synchronisation: the purge must still be running well past its 1 s timeout.
      await("purge still waiting on the row lock")
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(3))
          .until(() -> !purge.isDone());
      rowLock.release();
    }
    Reply done = purge.get(PgProbe.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.body().get("deleted_feedback_records").asLong()).isEqualTo(1);
  }

  @Test
  void purgeDeletesEverythingTheTenantOwnsAndIsIdempotent() {
    String tenant = TenantIds.fresh("a");
    String other = TenantIds.fresh("b");
    Hub.createRecord(APP, tenant);
    Hub.createRecord(APP, tenant);
    Hub.createRecord(APP, other);
    assertThat(
            Hub.put(APP, "/v1/tenants/" + tenant + "/settings", "{\"sentiment_enabled\":true}")
                .status())
        .isEqualTo(200);
    assertThat(
            Hub.put(APP, "/v1/tenants/" + other + "/settings", "{\"sentiment_enabled\":true}")
                .status())
        .isEqualTo(200);
    assertThat(probe.count("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", tenant))
        .isGreaterThanOrEqualTo(2);
    long otherOutbox =
        probe.count("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", other);

    Reply first = Hub.purge(APP, tenant);
    assertThat(first.status()).isEqualTo(200);
    JsonNode counts = first.body();
    assertThat(counts.get("tenant_id").asText()).isEqualTo(tenant);
    assertThat(counts.get("deleted_feedback_records").asLong()).isEqualTo(2);
    assertThat(counts.get("message").asText())
        .isEqualTo("Successfully deleted tenant data for " + tenant);
    assertOnlyCountsAre(counts, 2);

    assertThat(Hub.recordsOf(APP, tenant)).isZero();
    assertThat(probe.count("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", tenant))
        .as("no payload of the tenant outlives the purge")
        .isZero();
    assertThat(probe.count("SELECT count(*) FROM tenant_settings WHERE tenant_id = ?", tenant))
        .isZero();
    assertThat(Hub.get(APP, "/v1/tenants/" + tenant + "/settings").body().get("settings").size())
        .isZero();
    assertThat(
            probe.count(
                "SELECT count(*) FROM tenant_purges WHERE tenant_id = ? AND outcome = 'ok'"
                    + " AND initiated_by = 'api' AND finished_at >= started_at"
                    + " AND (deleted_counts ->> 'deleted_feedback_records')::int = 2",
                tenant))
        .isEqualTo(1);

    // The other tenant is untouched.
    assertThat(Hub.recordsOf(APP, other)).isEqualTo(1);
    assertThat(probe.count("SELECT count(*) FROM tenant_settings WHERE tenant_id = ?", other))
        .isEqualTo(1);
    assertThat(probe.count("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", other))
        .isEqualTo(otherOutbox);

    // A repeat, with the id padded (it is trimmed), deletes nothing and still succeeds.
    Reply second = Hub.purge(APP, "%20" + tenant + "%20");
    assertThat(second.status()).isEqualTo(200);
    JsonNode again = second.body();
    assertThat(again.get("tenant_id").asText()).isEqualTo(tenant);
    assertOnlyCountsAre(again, 0);
    assertThat(purgesOf(tenant, "ok")).isEqualTo(2);
  }

  /** Every {@code deleted_*} count is 0 except the records count, which is {@code records}. */
  private static void assertOnlyCountsAre(JsonNode counts, long records) {
    int seen = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().startsWith("deleted_")) {
        seen++;
        long expected = field.getKey().equals("deleted_feedback_records") ? records : 0;
        assertThat(field.getValue().asLong()).as(field.getKey()).isEqualTo(expected);
      }
    }
    assertThat(seen).as("deleted_* fields").isEqualTo(9);
  }
}
