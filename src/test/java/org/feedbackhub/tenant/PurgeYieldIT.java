package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import org.feedbackhub.core.TenantPurgeService;
import org.feedbackhub.db.TenantPurgeDao;
import org.feedbackhub.tenant.Hub.Reply;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.feedbackhub.testing.TestTags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A purge yields to other sessions while they are running statements: it deletes the tenant's
 * records in batches and pauses after each; on an otherwise idle database it deletes them in one
 * go. Either way the counts are exact and nothing of the tenant, no lock and no open transaction is
 * left.
 */
@Tag(TestTags.CONCURRENCY)
class PurgeYieldIT {
  /** Enough records for three batches, the last one partial. */
  private static final int RECORDS = 2 * TenantPurgeDao.BATCH + 500;

  private static final int EMBEDDED = 10;

  static final HubApp APP = HubApp.builder().set("webhooks.dispatcherEnabled", "false").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private static PgProbe probe;

  @BeforeAll
  static void start() {
    probe = new PgProbe();
  }

  @AfterAll
  static void stop() throws Exception {
    probe.close();
  }

  @Test
  void purgeDeletesInPausedBatchesWhileAnotherSessionIsBusy() throws Exception {
    String tenant = TenantIds.fresh("a");
    String other = TenantIds.fresh("b");
    fill(tenant, RECORDS);
    fill(other, 3);
    long before = pausedBatches();

    Reply purged;
    try (BusySession busy = BusySession.start()) {
      purged = Hub.purge(APP, tenant);
    }

    assertThat(purged.status()).isEqualTo(200);
    assertThat(purged.body().get("deleted_feedback_records").asLong()).isEqualTo(RECORDS);
    assertThat(purged.body().get("deleted_embeddings").asLong()).isEqualTo(EMBEDDED);
    assertThat(pausedBatches() - before)
        .as("batches deleted, each followed by a pause")
        .isEqualTo(3);
    assertTenantGoneOthersKept(tenant, other);
  }

  @Test
  void purgeDeletesInOneGoWhenNoOtherSessionIsBusy() {
    String tenant = TenantIds.fresh("a");
    String other = TenantIds.fresh("b");
    fill(tenant, RECORDS);
    fill(other, 3);
    long before = pausedBatches();

    Reply purged = Hub.purge(APP, tenant);

    assertThat(purged.status()).isEqualTo(200);
    assertThat(purged.body().get("deleted_feedback_records").asLong()).isEqualTo(RECORDS);
    assertThat(purged.body().get("deleted_embeddings").asLong()).isEqualTo(EMBEDDED);
    assertThat(pausedBatches() - before).as("no pauses on an idle database").isZero();
    assertTenantGoneOthersKept(tenant, other);
  }

  /** {@code count} records of {@code tenant}, the first {@link #EMBEDDED} with an embedding. */
  private static void fill(String tenant, int count) {
    probe.count(
        """
        WITH added AS (
            INSERT INTO feedback_records (source_type, field_id, field_type, value_text, tenant_id,
                submission_id)
            SELECT 'survey', 'q1', 'text', 'feedback ' || g, ?, 'yield-' || g
            FROM generate_series(1, ?) AS g
            RETURNING id, submission_id)
        , embedded AS (
            INSERT INTO embeddings (feedback_record_id, embedding, model)
            SELECT id, ARRAY[0.1, 0.2, 0.3]::real[], 'test-model' FROM added
            WHERE submission_id IN (SELECT 'yield-' || g FROM generate_series(1, ?) AS g)
            RETURNING 1)
        SELECT count(*) FROM embedded
        """,
        tenant,
        count,
        EMBEDDED);
  }

  private static void assertTenantGoneOthersKept(String tenant, String other) {
    assertThat(probe.count("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant))
        .isZero();
    assertThat(
            probe.count(
                "SELECT count(*) FROM embeddings e JOIN feedback_records f"
                    + " ON f.id = e.feedback_record_id WHERE f.tenant_id = ?",
                other))
        .isEqualTo(3);
    assertThat(probe.count("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", other))
        .isEqualTo(3);
    assertThat(probe.tenantLocks(tenant, "ExclusiveLock", true)).as("purge lock left").isZero();
    assertThat(probe.idleInTransaction("feedback-hub"))
        .as("sessions left in a transaction")
        .isZero();
  }

  private static long pausedBatches() {
    JsonNode metrics =
        APP.client().target(APP.adminUrl() + "/metrics").request().get(JsonNode.class);
    return metrics.path("counters").path(TenantPurgeService.PAUSED_BATCHES).path("count").asLong();
  }

  /** Another session running a statement, until closed. */
  private static final class BusySession implements AutoCloseable {
    private static final String APPLICATION_NAME = "feedback-hub-test-busy";

    private final Connection connection;
    private final Statement statement;
    private final CompletableFuture<Void> running;

    private BusySession(Connection connection) throws SQLException {
      this.connection = connection;
      this.statement = connection.createStatement();
      this.running =
          CompletableFuture.runAsync(
              () -> {
                try {
                  statement.execute("SELECT pg_sleep(600)");
                } catch (SQLException cancelled) {
                  // close() cancels the statement
                }
              });
    }

    static BusySession start() throws SQLException {
      BusySession session = new BusySession(TestDatabase.get().rawConnection(APPLICATION_NAME));
      await("busy session running")
          .atMost(PgProbe.DEADLINE)
          .until(() -> probe.active(APPLICATION_NAME) == 1);
      return session;
    }

    @Override
    public void close() throws Exception {
      statement.cancel();
      running.get();
      connection.close();
    }
  }
}
