package org.feedbackhub.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.feedbackhub.tenant.TenantWriteLock;

/**
 * A tenant's write lock held by the test itself, on a raw connection outside every pool, the way
 * the application holds it: transaction-scoped, in an open transaction. Exclusive plays a purge in
 * progress, shared a writer in flight. {@link #release()} ends the transaction (the lock goes, the
 * connection stays, as when a writer commits); {@link #close()} ends both.
 */
public final class HeldTenantLock implements AutoCloseable {
  /** The {@code application_name} of the holding session, as the lock monitor shows it. */
  public static final String APPLICATION_NAME = "feedback-hub-test-holder";

  private final Connection connection;
  private final int pid;
  private boolean held = true;

  private HeldTenantLock(Connection connection, int pid) {
    this.connection = connection;
    this.pid = pid;
  }

  /** Holds the tenant's key exclusively, as a running purge does. */
  public static HeldTenantLock exclusive(String tenantId) throws SQLException {
    return take(tenantId, "pg_advisory_xact_lock");
  }

  /** Holds the tenant's key in shared mode, as a writer in flight does. */
  public static HeldTenantLock shared(String tenantId) throws SQLException {
    return take(tenantId, "pg_advisory_xact_lock_shared");
  }

  private static HeldTenantLock take(String tenantId, String function) throws SQLException {
    Connection c = TestDatabase.get().rawConnection(APPLICATION_NAME);
    try {
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement("SELECT " + function + "(hashtextextended(?, 0)), pg_backend_pid()")) {
        s.setString(1, TenantWriteLock.key(tenantId));
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return new HeldTenantLock(c, rs.getInt(2));
        }
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The backend pid of the holding session, e.g. for {@code pg_terminate_backend}. */
  public int pid() {
    return pid;
  }

  /** Lets go of the lock by ending the transaction, keeping the connection; idempotent. */
  public void release() throws SQLException {
    if (held) {
      connection.rollback();
      held = false;
    }
  }

  /**
   * Releases the lock and closes the connection; quiet when the backend is already gone (a test may
   * have terminated it).
   */
  @Override
  public void close() throws SQLException {
    try {
      if (held && !connection.isClosed()) {
        connection.rollback();
      }
    } catch (SQLException backendGone) {
      // nothing is held by a dead backend
    } finally {
      held = false;
      connection.close();
    }
  }
}
