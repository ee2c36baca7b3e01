package org.feedbackhub.tenant;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.feedbackhub.testing.TestDatabase;

/**
 * Reads PostgreSQL's lock and activity views from a raw connection of its own, so tests can wait
 * until the server's request is visibly queued instead of sleeping.
 */
final class PgProbe implements AutoCloseable {
  /** The longest any test waits for a state it expects to reach. */
  static final Duration DEADLINE = Duration.ofSeconds(10);

  /**
   * Advisory lock requests on a tenant's key: the one-argument bigint form appears with {@code
   * objsubid = 1}, the high 32 bits of the key in {@code classid} and the low 32 bits in {@code
   * objid}.
   */
  private static final String TENANT_LOCKS =
      """
      SELECT count(*)
      FROM pg_locks l
      CROSS JOIN (SELECT hashtextextended(?, 0) AS h) k
      WHERE l.locktype = 'advisory'
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.objsubid = 1
        AND l.classid::bigint = (k.h >> 32) & 4294967295
        AND l.objid::bigint = k.h & 4294967295
        AND l.mode = ?
        AND l.granted = ?
      """;

  private final Connection connection;

  PgProbe() {
    try {
      this.connection = TestDatabase.get().rawConnection("feedback-hub-test-probe");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many requests for the tenant's key in {@code mode} are granted, or waiting. */
  long tenantLocks(String tenantId, String mode, boolean granted) {
    return count(TENANT_LOCKS, TenantWriteLock.key(tenantId), mode, granted);
  }

  /** Waits until an exclusive request for the tenant's key (a purge) is queued, not granted. */
  void awaitPurgeQueued(String tenantId) {
    await("purge of " + tenantId + " queued")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> tenantLocks(tenantId, "ExclusiveLock", false) >= 1);
  }

  /** Waits until some backend is blocked waiting for a lock held by backend {@code pid}. */
  void awaitBlockedBy(int pid) {
    await("a backend blocked by pid " + pid)
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))",
                        pid)
                    >= 1);
  }

  /** Advisory locks, granted or waiting, of the backends named {@code applicationName}. */
  long advisoryLocksOf(String applicationName) {
    return count(
        """
        SELECT count(*)
        FROM pg_locks l
        JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE a.application_name = ?
          AND l.locktype = 'advisory'
        """,
        applicationName);
  }

  /** Backends named {@code applicationName} left idle in a transaction. */
  long idleInTransaction(String applicationName) {
    return count(
        """
        SELECT count(*)
        FROM pg_stat_activity
        WHERE application_name = ?
          AND state LIKE 'idle in transaction%'
        """,
        applicationName);
  }

  /** Backends named {@code applicationName} currently running a statement. */
  long active(String applicationName) {
    return count(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND state = 'active'",
        applicationName);
  }

  /** Ends backend {@code pid} as an operator would. */
  boolean terminate(int pid) {
    return count("SELECT CASE WHEN pg_terminate_backend(?) THEN 1 ELSE 0 END", pid) == 1;
  }

  /** The database clock now, as text to compare {@code timestamptz} columns against. */
  String now() {
    try (PreparedStatement ps = connection.prepareStatement("SELECT clock_timestamp()::text");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Outbox rows of a tenant written after {@code since} (a value of {@link #now()}). */
  long outboxRowsSince(String tenantId, String since) {
    return count(
        "SELECT count(*) FROM outbox_messages WHERE tenant_id = ? AND created_at > ?::timestamptz",
        tenantId,
        since);
  }

  /** Runs a query whose single result is a number. */
  long count(String sql, Object... args) {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
