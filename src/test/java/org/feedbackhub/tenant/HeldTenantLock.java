package org.feedbackhub.tenant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.feedbackhub.testing.TestDatabase;

/**
 * A tenant's write lock held by the test itself on a raw connection outside every pool: exclusive
 * plays a purge in progress, shared plays a writer in flight. Session-level, so it lives until
 * {@link #release()} or {@link #close()}.
 */
final class HeldTenantLock implements AutoCloseable {
  private final Connection connection;
  private final String tenantId;
  private final boolean exclusive;
  private final int pid;
  private boolean held = true;

  private HeldTenantLock(Connection connection, String tenantId, boolean exclusive, int pid) {
    this.connection = connection;
    this.tenantId = tenantId;
    this.exclusive = exclusive;
    this.pid = pid;
  }

  /** Holds the tenant's key exclusively, as a running purge does. */
  static HeldTenantLock exclusive(String tenantId) throws SQLException {
    return take(tenantId, true);
  }

  /** Holds the tenant's key in shared mode, as a writer in flight does. */
  static HeldTenantLock shared(String tenantId) throws SQLException {
    return take(tenantId, false);
  }

  private static HeldTenantLock take(String tenantId, boolean exclusive) throws SQLException {
    Connection c = TestDatabase.get().rawConnection("feedback-hub-test-lock-holder");
    try {
      String fn = exclusive ? "pg_advisory_lock" : "pg_advisory_lock_shared";
      try (PreparedStatement ps =
          c.prepareStatement("SELECT " + fn + "(hashtextextended(?, 0)), pg_backend_pid()")) {
        ps.setString(1, TenantWriteLock.key(tenantId));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new HeldTenantLock(c, tenantId, exclusive, rs.getInt(2));
        }
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The backend pid of the holding connection, e.g. for {@code pg_terminate_backend}. */
  int pid() {
    return pid;
  }

  /** Releases the lock, keeping the connection open; idempotent. */
  void release() throws SQLException {
    if (!held) {
      return;
    }
    String fn = exclusive ? "pg_advisory_unlock" : "pg_advisory_unlock_shared";
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT " + fn + "(hashtextextended(?, 0))")) {
      ps.setString(1, TenantWriteLock.key(tenantId));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw new IllegalStateException("the test did not hold the lock of " + tenantId);
        }
      }
    }
    held = false;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
