package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.db.TenantDataCountsDao;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kill -9} of the service process in the middle of a purge: the purge's transaction never
 * commits, so the tenant's data is all there (in every tenant-owned table), no lock or open
 * transaction outlives the process, and a fresh purge by another instance removes everything. The
 * purge is parked deterministically: a raw connection holds a row lock its {@code DELETE FROM
 * feedback_records} must wait for, while it already holds the tenant's exclusive lock and has
 * deleted the tenant's embeddings.
 */
@Tag("reliability")
class ServiceKilledMidPurgeIT {
  static final String KILLED_APP_NAME = "fh-killed";
  static final int RECORDS = 300;

  /** The second instance, in-process, that purges after the kill. */
  static final HubApp SURVIVOR =
      HubApp.builder().set("tenantPurgeLockTimeoutSeconds", "20").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = SURVIVOR.extension();

  private static final ObjectMapper JSON = new ObjectMapper();

  private ServiceProcess service;

  @AfterEach
  void killTheServiceProcess() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aPurgeKilledWithItsProcessLeavesTheTenantWholeAndAFreshPurgeRemovesIt() throws Exception {
    String tenant = TenantIds.fresh("killed-purge");
    String bystander = TenantIds.fresh("killed-bystander");
    fill(tenant, RECORDS);
    fill(bystander, 3);
    Map<String, Long> tenantBefore = counts(tenant);
    Map<String, Long> bystanderBefore = counts(bystander);
    assertThat(tenantBefore)
        .containsEntry("feedback_records", (long) RECORDS)
        .containsEntry("embeddings", (long) RECORDS)
        .containsEntry("pending_events", (long) RECORDS);

    service =
        ServiceProcess.start(
            "killed-mid-purge",
            Map.of(
                "DATABASE_URL", TestDatabase.get().databaseUrl(),
                "DATABASE_APPLICATION_NAME", KILLED_APP_NAME,
                "DATABASE_MAX_CONNS", "4",
                "MIGRATE_ON_START", "false",
                "TENANT_PURGE_LOCK_TIMEOUT_SECONDS", "20",
                "WEBHOOK_DISPATCHER_ENABLED", "false"));
    Api api = new Api(service.baseUrl());
    String lockedRecord =
        Db.queryStrings(
                "SELECT id::text FROM feedback_records WHERE tenant_id = ? ORDER BY id LIMIT 1",
                tenant)
            .get(0);
    int purgeBackend;
    CompletableFuture<Reply> purge;
    try (Connection blocker = Backends.rowLocker(lockedRecord)) {
      purge = CompletableFuture.supplyAsync(() -> api.delete("/v1/tenants/" + tenant + "/data"));
      purgeBackend =
          Backends.awaitWaitingIn(KILLED_APP_NAME, "TenantPurgeDao.deleteFeedbackRecords");
      assertThat(Backends.holdsExclusiveTenantLock(purgeBackend, tenant)).isTrue();

      int exit = service.killHard();
      assertThat(exit).as("killed by SIGKILL").isEqualTo(137);
      Reply lost = purge.get(30, TimeUnit.SECONDS);
      assertThat(lost.status()).as("the client never got an answer: %s", lost.body()).isEqualTo(-1);
      // The orphaned backend now finishes its DELETE, finds its client gone and rolls back.
      blocker.rollback();
    }
    Backends.awaitGone(purgeBackend);

    assertThat(counts(tenant)).as("all there: the purge never committed").isEqualTo(tenantBefore);
    assertThat(counts(bystander)).isEqualTo(bystanderBefore);
    assertThat(Hygiene.advisoryLocksOn(List.of(tenant, bystander))).isZero();
    assertThat(Hygiene.idleInTransaction(KILLED_APP_NAME)).isZero();
    assertThat(Hygiene.backends(KILLED_APP_NAME)).as("the killed service's backends").isZero();

    Reply purged = new Api(SURVIVOR.baseUrl()).delete("/v1/tenants/" + tenant + "/data");
    assertThat(purged.status()).as(purged.body()).isEqualTo(200);
    assertThat(purged.json().path("deleted_feedback_records").asLong()).isEqualTo(RECORDS);
    assertThat(purged.json().path("deleted_embeddings").asLong()).isEqualTo(RECORDS);
    assertThat(counts(tenant).values()).as("all gone after the fresh purge").containsOnly(0L);
    assertThat(counts(bystander)).isEqualTo(bystanderBefore);
    Hygiene.awaitClean(List.of(tenant, bystander), KILLED_APP_NAME);
  }

  /**
   * {@code count} records of {@code tenant}, each with an embedding and a pending outbox event not
   * due for a day (so no dispatcher touches it).
   */
  static void fill(String tenant, int count) {
    Db.execute(
        """
        INSERT INTO feedback_records (source_type, field_id, field_type, value_text, tenant_id,
            submission_id)
        SELECT 'killed', 'q', 'text', 'feedback ' || g, ?, 'fill-' || g
        FROM generate_series(1, ?) AS g
        """,
        tenant,
        count);
    Db.execute(
        """
        INSERT INTO embeddings (feedback_record_id, embedding, model)
        SELECT id, array_fill(0.1::real, ARRAY[8]), 'killed-test-model'
        FROM feedback_records
        WHERE tenant_id = ?
        """,
        tenant);
    Db.execute(
        """
        INSERT INTO outbox_messages (topic, event_type, tenant_id, payload, available_at)
        SELECT 'event', 'feedback_record.created', ?, '{"data":{}}'::jsonb,
            now() + interval '1 day'
        FROM generate_series(1, ?)
        """,
        tenant,
        count);
  }

  /** The tenant's rows in every tenant-owned table, in one snapshot (the admin console's query). */
  static Map<String, Long> counts(String tenant) throws Exception {
    String json =
        Jdbi.create(TestDatabase.get().dataSource())
            .installPlugin(new SqlObjectPlugin())
            .withExtension(TenantDataCountsDao.class, dao -> dao.countsAsJson(tenant));
    return JSON.readValue(json, new TypeReference<Map<String, Long>>() {});
  }
}
