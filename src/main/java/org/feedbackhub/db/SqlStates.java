package org.feedbackhub.db;

import java.sql.SQLException;

/** Reads the SQLSTATE behind a driver or Jdbi exception, for the few states the service maps. */
public final class SqlStates {
  /** {@code unique_violation}. */
  public static final String UNIQUE_VIOLATION = "23505";

  /** {@code lock_not_available}: a {@code lock_timeout} expired. */
  public static final String LOCK_NOT_AVAILABLE = "55P03";

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
}
