package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.feedbackhub.tenant.TenantWriteLock;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.TestDatabase;

/**
 * Parks and inspects the application's backends in the test database: a raw connection holds a row
 * lock that the application's next statement must wait for, and {@code pg_stat_activity} and {@code
 * pg_locks} show where it waits and which tenant lock it holds.
 */
final class Backends {
  private Backends() {}

  /** A raw connection holding {@code FOR UPDATE} on one record, in an open transaction. */
  static Connection rowLocker(String recordId) throws SQLException {
    Connection c = TestDatabase.get().rawConnection("feedback-hub-test-row-locker");
    c.setAutoCommit(false);
    try (PreparedStatement s =
        c.prepareStatement("SELECT id FROM feedback_records WHERE id = ?::uuid FOR UPDATE")) {
      s.setString(1, recordId);
      s.executeQuery().close();
    }
    return c;
  }

  /** The pid of a backend of {@code applicationName} waiting on a lock in the named DAO method. */
  static int awaitWaitingIn(String applicationName, String daoMethod) {
    return await("a backend of " + applicationName + " waiting in " + daoMethod)
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              List<String> pids =
                  Db.queryStrings(
                      "SELECT pid::text FROM pg_stat_activity WHERE application_name = ?"
                          + " AND wait_event_type = 'Lock' AND query LIKE ?",
                      applicationName,
                      "%" + daoMethod + "%");
              return pids.isEmpty() ? null : Integer.valueOf(pids.get(0));
            },
            pid -> pid != null);
  }

  static boolean holdsExclusiveTenantLock(int pid, String tenant) {
    return Db.queryLong(
            "SELECT count(*) FROM pg_locks WHERE pid = ? AND locktype = 'advisory'"
                + " AND mode = 'ExclusiveLock' AND granted AND objsubid = 1"
                + " AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(?, 0)",
            pid,
            TenantWriteLock.key(tenant))
        == 1;
  }

  /** Waits (bounded) until backend {@code pid} has left {@code pg_stat_activity}. */
  static void awaitGone(int pid) {
    await("backend " + pid + " gone")
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", pid) == 0);
  }

  static void terminate(int pid) throws SQLException {
    try (Connection c = TestDatabase.get().rawConnection("feedback-hub-test-terminator");
        PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
      s.setInt(1, pid);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getBoolean(1)).as("terminated backend %d", pid).isTrue();
      }
    }
  }
}
