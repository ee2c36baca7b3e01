package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kill -9} of the service process in the middle of a records-only purge batch: that batch
 * rolls back, no lock or open transaction outlives the process, and after a restart the job resumes
 * with the same mark and finishes with exact counts. The batch is parked deterministically on a row
 * lock its {@code DELETE} of records must wait for.
 */
@Tag("reliability")
class ServiceKilledMidRecordsPurgeIT {
  static final String KILLED_APP_NAME = "fh-killed-records";
  static final int RECORDS = 2 * 2000 + 100;

  private ServiceProcess service;

  @AfterEach
  void killTheServiceProcess() {
    if (service != null) {
      service.close();
    }
  }

  private static ServiceProcess start(String name) throws Exception {
    return ServiceProcess.start(
        name,
        Map.of(
            "DATABASE_URL", TestDatabase.get().databaseUrl(),
            "DATABASE_APPLICATION_NAME", KILLED_APP_NAME,
            "MIGRATE_ON_START", "false",
            "WEBHOOK_DISPATCHER_ENABLED", "false",
            "RECORDS_PURGE_LEASE_SECONDS", "3",
            "RECORDS_PURGE_WORKER_POLL_INTERVAL", "100ms"));
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void aBatchKilledWithItsProcessRollsBackAndTheJobResumesWithTheSameMark() throws Exception {
    String tenant = TenantIds.fresh("killed-records");
    Db.execute(
        "INSERT INTO feedback_records (source_type, field_id, field_type, tenant_id, submission_id)"
            + " SELECT 'killed', 'q', 'text', ?, 'k-' || g FROM generate_series(1, ?) g",
        tenant,
        RECORDS);
    String lockedRecord =
        Db.queryStrings(
                "SELECT id::text FROM feedback_records WHERE tenant_id = ? ORDER BY id LIMIT 1",
                tenant)
            .get(0);
    service = start("killed-mid-records-purge");
    int batchBackend;
    String mark;
    long committed;
    try (Connection blocker = Backends.rowLocker(lockedRecord)) {
      Reply accepted =
          new Api(service.baseUrl()).delete("/v1/tenants/" + tenant + "/feedback-records");
      assertThat(accepted.status()).isEqualTo(202);
      batchBackend = Backends.awaitWaitingIn(KILLED_APP_NAME, "RecordsPurgeBatchDao.deleteRecords");
      assertThat(Backends.holdsExclusiveTenantLock(batchBackend, tenant)).isTrue();
      mark = purgeField(tenant, "high_water_mark::text");
      committed = Long.parseLong(purgeField(tenant, "deleted_feedback_records::text"));
      assertThat(service.killHard()).isEqualTo(137);
      blocker.rollback();
    }
    Backends.awaitGone(batchBackend);
    assertThat(Db.queryLong("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant))
        .as("the killed batch rolled back")
        .isEqualTo(RECORDS - committed);
    assertThat(Hygiene.advisoryLocksOn(List.of(tenant))).isZero();
    assertThat(Hygiene.idleInTransaction(KILLED_APP_NAME)).isZero();

    service = start("restarted-after-records-purge-kill");
    await("the purge resumed and completed")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> "completed".equals(purgeField(tenant, "state")));

    assertThat(purgeField(tenant, "high_water_mark::text")).isEqualTo(mark);
    assertThat(purgeField(tenant, "deleted_feedback_records::text"))
        .isEqualTo(Integer.toString(RECORDS));
    assertThat(Integer.parseInt(purgeField(tenant, "attempts::text"))).isGreaterThanOrEqualTo(2);
    assertThat(Db.queryLong("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant))
        .isZero();
    Hygiene.awaitClean(List.of(tenant), KILLED_APP_NAME);
  }

  private static String purgeField(String tenant, String column) {
    return Db.queryStrings(
            "SELECT " + column + " FROM tenant_records_purges WHERE tenant_id = ?", tenant)
        .get(0);
  }
}
