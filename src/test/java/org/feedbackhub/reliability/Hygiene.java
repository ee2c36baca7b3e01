package org.feedbackhub.reliability;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import org.feedbackhub.tenant.TenantWriteLock;
import org.feedbackhub.testing.TestDatabase;

/** Lock and connection hygiene checks over {@code pg_locks} and {@code pg_stat_activity}. */
final class Hygiene {
  private Hygiene() {}

  /** Opens a raw connection named {@code applicationName} to the database under test. */
  @FunctionalInterface
  interface Database {
    Connection connect(String applicationName) throws SQLException;
  }

  private static final Database TEST_DATABASE = name -> TestDatabase.get().rawConnection(name);

  /** Advisory locks held or requested on the write-lock keys of {@code tenants}. */
  static long advisoryLocksOn(Collection<String> tenants) throws SQLException {
    return advisoryLocksOn(TEST_DATABASE, tenants);
  }

  /** Advisory locks held or requested in {@code database} on the keys of {@code tenants}. */
  static long advisoryLocksOn(Database database, Collection<String> tenants) throws SQLException {
    try (Connection c = database.connect("feedback-hub-test-hygiene");
        PreparedStatement s =
            c.prepareStatement(
                """
                SELECT count(*)
                FROM pg_locks
                WHERE locktype = 'advisory'
                  AND objsubid = 1
                  AND ((classid::bigint << 32) | objid::bigint)
                      = ANY (SELECT hashtextextended(k, 0) FROM unnest(?::text[]) AS k)
                """)) {
      s.setArray(
          1,
          c.createArrayOf(
              "text", tenants.stream().map(TenantWriteLock::key).toArray(String[]::new)));
      return single(s);
    }
  }

  /** Backends of {@code applicationName} that sit idle inside an open transaction. */
  static long idleInTransaction(String applicationName) throws SQLException {
    return idleInTransaction(TEST_DATABASE, applicationName);
  }

  /** Backends of {@code applicationName} in {@code database} idle inside an open transaction. */
  static long idleInTransaction(Database database, String applicationName) throws SQLException {
    try (Connection c = database.connect("feedback-hub-test-hygiene");
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE application_name = ? AND state LIKE 'idle in transaction%'")) {
      s.setString(1, applicationName);
      return single(s);
    }
  }

  /** Backends of {@code applicationName}, in any state. */
  static long backends(String applicationName) throws SQLException {
    return backends(TEST_DATABASE, applicationName);
  }

  /** Backends of {@code applicationName} in {@code database}, in any state. */
  static long backends(Database database, String applicationName) throws SQLException {
    try (Connection c = database.connect("feedback-hub-test-hygiene");
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
      s.setString(1, applicationName);
      return single(s);
    }
  }

  /**
   * Waits (bounded) until no advisory lock of {@code tenants} is held and no backend of {@code
   * applicationName} is idle in transaction; a leak fails here after 10 s.
   */
  static void awaitClean(Collection<String> tenants, String applicationName) {
    awaitClean(TEST_DATABASE, tenants, applicationName);
  }

  /** {@link #awaitClean(Collection, String)} in another database than the test database. */
  static void awaitClean(Database database, Collection<String> tenants, String applicationName) {
    await("no advisory lock of the tenants and no backend idle in transaction")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                advisoryLocksOn(database, tenants) == 0
                    && idleInTransaction(database, applicationName) == 0);
  }

  private static long single(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
