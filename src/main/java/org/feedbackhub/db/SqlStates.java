package org.feedbackhub.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;

/**
 * Reads the SQLSTATE behind a driver or Jdbi exception, for the few states the service maps, and
 * tells a lost or unreachable database apart from every other failure.
 */
public final class SqlStates {
  /** {@code unique_violation}. */
  public static final String UNIQUE_VIOLATION = "23505";

  /** {@code lock_not_available}: a {@code lock_timeout} expired. */
  public static final String LOCK_NOT_AVAILABLE = "55P03";

  /** Class 08, {@code connection_exception}: cannot connect, or the connection broke. */
  static final String CONNECTION_EXCEPTION_CLASS = "08";

  /** {@code admin_shutdown}: the backend was terminated (server stop, pg_terminate_backend). */
  static final String ADMIN_SHUTDOWN = "57P01";

  /** {@code crash_shutdown}: another backend crashed and the server is resetting. */
  static final String CRASH_SHUTDOWN = "57P02";

  /** {@code cannot_connect_now}: the server is starting up, shutting down or recovering. */
  static final String CANNOT_CONNECT_NOW = "57P03";

  private SqlStates() {}

  /** The first SQLSTATE in the cause chain of {@code e}, or null. */
  public static String of(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return null;
  }

  /**
   * Whether {@code e} means the database could not be reached or the connection was lost, rather
   * than a bug or a refused statement: the request may succeed once the database is back.
   *
   * @implNote Walks the whole cause chain: Jdbi wraps the driver's exception ({@code
   *     UnableToExecuteStatementException}, {@code ConnectionException}), and a pool that cannot
   *     hand out a connection within its borrow timeout (the database is unreachable, or every
   *     connection is busy) throws {@link SQLTransientConnectionException}, carrying the last
   *     connect failure's state if there was one; JDBC's connection exception types stand for class
   *     08 even without a state. pgjdbc reports a broken socket as 08006 and a closed connection as
   *     08003; a terminated backend sends 57P01 before the socket closes. Any state outside class
   *     08 and 57P01..57P03 (a constraint, a syntax error, a lock timeout) is not a connection
   *     failure, even when a connection failure is suppressed behind it.
   */
  public static boolean isConnectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return isConnectionState(sql.getSQLState());
      }
    }
    return false;
  }

  /** Whether {@code sqlState} is a connection-level state (class 08, or 57P01..57P03). */
  static boolean isConnectionState(String sqlState) {
    return sqlState.startsWith(CONNECTION_EXCEPTION_CLASS)
        || sqlState.equals(ADMIN_SHUTDOWN)
        || sqlState.equals(CRASH_SHUTDOWN)
        || sqlState.equals(CANNOT_CONNECT_NOW);
  }

  /**
   * A failure in one line for the log, without the stack trace an expected outage would repeat per
   * request: its class, the SQLSTATE behind it and the innermost cause (e.g. {@code
   * ConnectionException sqlstate=08001 root=java.net.ConnectException: Connection refused}).
   */
  public static String summary(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String summary = e.getClass().getSimpleName() + " sqlstate=" + of(e);
    return root == e ? summary + " " + e : summary + " root=" + root;
  }
}
