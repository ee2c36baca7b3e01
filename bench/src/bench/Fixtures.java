package bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.feedbackhub.tenant.TenantWriteLock;

/** Bulk data for the scenarios, written straight into the benchmark database. */
final class Fixtures implements AutoCloseable {
  private final Connection connection;

  Fixtures(String databaseUri) throws SQLException {
    org.feedbackhub.db.LibpqUrl url = org.feedbackhub.db.LibpqUrl.parse(databaseUri);
    java.util.Properties props = new java.util.Properties();
    if (url.user() != null) {
      props.setProperty("user", url.user());
    }
    if (url.password() != null) {
      props.setProperty("password", url.password());
    }
    props.setProperty("ApplicationName", "feedback-hub-bench");
    this.connection = DriverManager.getConnection(url.jdbcUrl(), props);
    connection.setAutoCommit(true);
  }

  /**
   * Adds {@code count} records to {@code tenant}, each with a 384-dimension embedding and a pending
   * outbox event when {@code withChildren}.
   */
  void fill(String tenant, int count, boolean withChildren) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            """
            INSERT INTO feedback_records (collected_at, source_type, field_id, field_type, value_text,
                user_id, tenant_id, submission_id)
            SELECT now() - make_interval(secs => g), 'bench', 'q' || (g % 5), 'text',
                'feedback number ' || g, 'user-' || (g % 1000), ?, 'fill-' || g || '-' || gen_random_uuid()
            FROM generate_series(1, ?) AS g
            """)) {
      s.setString(1, tenant);
      s.setInt(2, count);
      s.executeUpdate();
    }
    if (withChildren) {
      try (PreparedStatement s =
          connection.prepareStatement(
              """
              INSERT INTO embeddings (feedback_record_id, embedding, model)
              SELECT id, array_fill(0.1::real, ARRAY[384]), 'bench-model'
              FROM feedback_records
              WHERE tenant_id = ?
              ON CONFLICT DO NOTHING
              """)) {
        s.setString(1, tenant);
        s.executeUpdate();
      }
      try (PreparedStatement s =
          connection.prepareStatement(
              """
              INSERT INTO outbox_messages (topic, event_type, tenant_id, payload, available_at)
              SELECT 'event', 'feedback_record.created', ?, '{"data":{}}'::jsonb,
                  now() + interval '1 day'
              FROM generate_series(1, ?)
              """)) {
        s.setString(1, tenant);
        s.setInt(2, count);
        s.executeUpdate();
      }
    }
    analyze();
  }

  /**
   * The baseline a purge is compared with: plain deletes of the same rows, in one transaction, each
   * with the tenant as its parameter.
   */
  static final List<String> PLAIN_DELETES =
      List.of(
          "DELETE FROM embeddings e USING feedback_records f"
              + " WHERE e.feedback_record_id = f.id AND f.tenant_id = ?",
          "DELETE FROM feedback_records WHERE tenant_id = ?",
          "DELETE FROM outbox_messages WHERE tenant_id = ?");

  /** Runs {@link #PLAIN_DELETES} for {@code tenant}; returns how long they took in milliseconds. */
  long plainDelete(String tenant) throws SQLException {
    long started = System.nanoTime();
    connection.setAutoCommit(false);
    try {
      for (String sql : PLAIN_DELETES) {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
          s.setString(1, tenant);
          s.executeUpdate();
        }
      }
      connection.commit();
    } finally {
      connection.setAutoCommit(true);
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** Holds {@code tenant}'s write lock exclusively on this connection, as a running purge would. */
  void lockExclusive(String tenant) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
      s.setString(1, TenantWriteLock.key(tenant));
      s.execute();
    }
  }

  void unlockAll() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SELECT pg_advisory_unlock_all()");
    }
  }

  /**
   * Analyzes the tables a fill writes, as autovacuum would within a minute. Without it the
   * service's pooled backends keep the foreign-key trigger plans they cached while {@code
   * embeddings} was empty (a sequential scan per deleted record), and the first purge after a bulk
   * fill of embeddings took 40–63 s instead of 0.3 s.
   */
  void analyze() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("ANALYZE feedback_records, embeddings, outbox_messages");
    }
  }

  /**
   * Vacuums and analyzes the tables the scenarios write, then checkpoints, so the autovacuum and
   * the checkpoint one scenario's bulk writes call for do not run inside the next scenario's
   * measurement. Without the privilege to checkpoint (an external database), only vacuums.
   */
  void settle() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("VACUUM (ANALYZE) feedback_records, outbox_messages, embeddings");
      try {
        s.execute("CHECKPOINT");
      } catch (SQLException notAllowed) {
        // pg_checkpoint (PostgreSQL 15+) or superuser is needed; the vacuum is what matters most
      }
    }
  }

  /** The database server's version, for the report. */
  String serverVersion() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT version()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Drops the events the benchmark's own writes queued, so the outbox does not grow unbounded. */
  void clearOutbox() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("DELETE FROM outbox_messages");
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
