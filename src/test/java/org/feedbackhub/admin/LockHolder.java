package org.feedbackhub.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.feedbackhub.tenant.TenantWriteLock;
import org.feedbackhub.testing.TestDatabase;

/** A raw connection outside every pool that holds a tenant's write lock in an open transaction. */
final class LockHolder implements AutoCloseable {
  final Connection connection;
  final int pid;

  private LockHolder(Connection connection, int pid) {
    this.connection = connection;
    this.pid = pid;
  }

  /** Holds {@code tenantId}'s key in shared mode, as an in-flight writer would. */
  static LockHolder shared(String tenantId) throws SQLException {
    return hold(tenantId, "pg_advisory_xact_lock_shared");
  }

  /** Holds {@code tenantId}'s key exclusively, as a running purge would. */
  static LockHolder exclusive(String tenantId) throws SQLException {
    return hold(tenantId, "pg_advisory_xact_lock");
  }

  private static LockHolder hold(String tenantId, String function) throws SQLException {
    Connection c = TestDatabase.get().rawConnection("feedback-hub-test-holder");
    c.setAutoCommit(false);
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + function + "(hashtextextended(?, 0)), pg_backend_pid()")) {
      s.setString(1, TenantWriteLock.key(tenantId));
      try (var rs = s.executeQuery()) {
        rs.next();
        return new LockHolder(c, rs.getInt(2));
      }
    }
  }

  @Override
  public void close() throws SQLException {
    if (connection.isClosed()) {
      return;
    }
    try {
      connection.rollback();
    } finally {
      connection.close();
    }
  }
}
