package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.feedbackhub.admin.LockMonitorPool;
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
 * The purge yields only to real work on the service's own database: a busy session of another
 * database, a session that only waits for a lock (such as a second purge queued behind this one)
 * and the lock monitor's own polls leave it deleting in one go.
 */
@Tag(TestTags.CONCURRENCY)
class PurgeBusyCheckIT {
  private static final int RECORDS = TenantPurgeDao.BATCH + 10;

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
  void aBusySessionOfAnotherDatabaseDoesNotSlowThePurge() throws Exception {
    try (Sessions s = new Sessions()) {
      s.busy(
          TestDatabase.get()
              .rawConnectionToDatabase("feedback_hub_other", "feedback-hub-test-other-db"),
          "feedback-hub-test-other-db");
      assertPurgedInOneGo();
    }
  }

  @Test
  void aSessionWaitingOnALockDoesNotSlowThePurge() throws Exception {
    try (Sessions s = new Sessions()) {
      Connection holder = s.open("feedback-hub-test-holder");
      holder.setAutoCommit(false);
      try (Statement st = holder.createStatement()) {
        st.execute("SELECT pg_advisory_xact_lock(424242)");
      }
      s.start(s.open("feedback-hub-test-waiter"), "SELECT pg_advisory_xact_lock(424242)");
      await("waiter queued on the lock")
          .atMost(PgProbe.DEADLINE)
          .until(
              () ->
                  probe.count(
                          "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
                              + " AND wait_event_type = 'Lock'",
                          "feedback-hub-test-waiter")
                      == 1);
      assertPurgedInOneGo();
      holder.rollback();
    }
  }

  @Test
  void theLockMonitorsOwnSessionDoesNotSlowThePurge() throws Exception {
    try (Sessions s = new Sessions()) {
      s.busy(
          TestDatabase.get().rawConnection(LockMonitorPool.APPLICATION_NAME),
          LockMonitorPool.APPLICATION_NAME);
      assertPurgedInOneGo();
    }
  }

  @Test
  void aBusySessionOfTheServicesDatabaseStillSlowsThePurge() throws Exception {
    try (Sessions s = new Sessions()) {
      s.busy(TestDatabase.get().rawConnection("feedback-hub-test-busy"), "feedback-hub-test-busy");
      String tenant = TenantIds.fresh("busy");
      fill(tenant);
      long before = pausedBatches();
      assertThat(Hub.purge(APP, tenant).status()).isEqualTo(200);
      assertThat(pausedBatches() - before).as("a full and a partial batch").isEqualTo(2);
    }
  }

  private static void assertPurgedInOneGo() {
    String tenant = TenantIds.fresh("quiet");
    fill(tenant);
    long before = pausedBatches();
    Reply purged = Hub.purge(APP, tenant);
    assertThat(purged.status()).isEqualTo(200);
    assertThat(purged.body().get("deleted_feedback_records").asLong()).isEqualTo(RECORDS);
    assertThat(pausedBatches() - before).as("paused batches").isZero();
  }

  private static void fill(String tenant) {
    probe.count(
        """
        WITH added AS (
            INSERT INTO feedback_records (source_type, field_id, field_type, value_text, tenant_id,
                submission_id)
            SELECT 'survey', 'q1', 'text', 'feedback ' || g, ?, 'busy-' || g
            FROM generate_series(1, ?) AS g
            RETURNING 1)
        SELECT count(*) FROM added
        """,
        tenant,
        RECORDS);
  }

  private static long pausedBatches() {
    JsonNode metrics =
        APP.client().target(APP.adminUrl() + "/metrics").request().get(JsonNode.class);
    return metrics.path("counters").path(TenantPurgeService.PAUSED_BATCHES).path("count").asLong();
  }

  /** Raw sessions running statements until closed (closing cancels them). */
  private static final class Sessions implements AutoCloseable {
    private final List<Connection> connections = new ArrayList<>();
    private final List<Statement> statements = new ArrayList<>();
    private final List<CompletableFuture<Void>> running = new ArrayList<>();

    Connection open(String applicationName) throws SQLException {
      Connection c = TestDatabase.get().rawConnection(applicationName);
      connections.add(c);
      return c;
    }

    void start(Connection c, String sql) throws SQLException {
      if (!connections.contains(c)) {
        connections.add(c);
      }
      Statement statement = c.createStatement();
      statements.add(statement);
      running.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  statement.execute(sql);
                } catch (SQLException cancelled) {
                  // close() cancels the statement
                }
              }));
    }

    /** Runs a long sleep on {@code c} and waits until the server shows it active. */
    void busy(Connection c, String applicationName) throws SQLException {
      start(c, "SELECT pg_sleep(600)");
      await("busy session " + applicationName)
          .atMost(PgProbe.DEADLINE)
          .until(
              () ->
                  probe.count(
                          "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
                              + " AND state = 'active'",
                          applicationName)
                      == 1);
    }

    @Override
    public void close() throws Exception {
      for (Statement s : statements) {
        s.cancel();
      }
      for (Connection c : connections) {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
      }
      for (CompletableFuture<Void> r : running) {
        r.get();
      }
      for (Connection c : connections) {
        c.close();
      }
    }
  }
}
