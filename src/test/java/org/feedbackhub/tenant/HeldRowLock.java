package org.feedbackhub.tenant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.feedbackhub.testing.TestDatabase;

/**
 * A feedback record row-locked ({@code FOR UPDATE}) by the test on a raw connection: a statement of
 * the app that must lock the row parks there, visibly (see {@link PgProbe#awaitBlockedBy}), until
 * {@link #release()}.
 */
final class HeldRowLock implements AutoCloseable {
  private final Connection connection;
  private final int pid;

  private HeldRowLock(Connection connection, int pid) {
    this.connection = connection;
    this.pid = pid;
  }

  static HeldRowLock onRecord(String recordId) throws SQLException {
    Connection c = TestDatabase.get().rawConnection("feedback-hub-test-row-lock");
    try {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT pg_backend_pid() FROM feedback_records WHERE id = ?::uuid FOR UPDATE")) {
        ps.setString(1, recordId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalStateException("no feedback record " + recordId);
          }
          return new HeldRowLock(c, rs.getInt(1));
        }
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The backend pid holding the row lock. */
  int pid() {
    return pid;
  }

  /** Ends the transaction, and with it the row lock; nothing was changed. */
  void release() throws SQLException {
    connection.rollback();
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
