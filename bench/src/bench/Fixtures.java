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
   * Adds {@code perTenant} records to each of {@code tenants}, interleaved in the table as writes
   * of concurrent tenants are, with values of realistic spread: the 5 fields of one submission
   * share its {@code collected_at} (ties in the sort column), 9 field types, 8 source types and
   * names, 7 languages (5% none), and on text records sentiment (~70%), emotions (~50%) and a
   * translation (~30%); 10% of the records were updated 3 days after they were created.
   */
  void fillRealistic(List<String> tenants, int perTenant) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            """
            INSERT INTO feedback_records (collected_at, created_at, updated_at, source_type, source_id,
                source_name, field_id, field_label, field_type, field_group_id, value_text, value_id,
                value_number, value_date, language, user_id, tenant_id, submission_id,
                value_text_translated, translation_lang_key, sentiment, sentiment_score, emotions)
            SELECT collected, collected + make_interval(secs => g % 600),
                collected + make_interval(secs => g % 600) + CASE WHEN r3 < 0.1 THEN interval '3 days' ELSE interval '0' END,
                (ARRAY['formbricks', 'formbricks', 'formbricks', 'typeform', 'intercom', 'zendesk', 'csv', 'api'])[1 + (hashint4(s) & 7)],
                'src-' || (hashint4(s + 1) & 31),
                (ARRAY['Onboarding survey', 'NPS 2026', 'Churn interview', 'Support CSAT', 'Feature request board', 'Pricing page poll', 'App store reviews', 'Beta feedback'])[1 + (hashint4(s + 2) & 7)],
                'q' || f, 'Question ' || f, kind::field_type_enum,
                CASE WHEN f < 10 THEN 'group-' || (f / 3) END,
                CASE WHEN kind = 'text' THEN 'feedback ' || g || ': the ' || (ARRAY['checkout', 'dashboard', 'export', 'search', 'billing'])[1 + g % 5] || ' flow was ' || (ARRAY['slow', 'great', 'confusing', 'fine', 'broken', 'delightful'])[1 + g % 6] || ' for our team this week'
                     WHEN kind = 'categorical' THEN (ARRAY['Price', 'Quality', 'Support', 'Speed'])[1 + g % 4] END,
                CASE WHEN kind = 'categorical' THEN 'opt-' || (g % 4) END,
                CASE WHEN kind = 'nps' THEN (g % 11)::float8 WHEN kind IN ('rating', 'csat') THEN (1 + g % 5)::float8
                     WHEN kind = 'ces' THEN (1 + g % 7)::float8 WHEN kind = 'number' THEN (g % 1000)::float8 END,
                CASE WHEN kind = 'date' THEN collected - make_interval(days => g % 90) END,
                CASE WHEN r1 < 0.05 THEN NULL WHEN r1 < 0.55 THEN 'en' WHEN r1 < 0.7 THEN 'de' WHEN r1 < 0.8 THEN 'fr'
                     WHEN r1 < 0.88 THEN 'es' WHEN r1 < 0.93 THEN 'pt-BR' WHEN r1 < 0.97 THEN 'ja' ELSE 'nl' END,
                'user-' || (hashint4(s + 3) & 4095), tenant, 'sub-' || s,
                CASE WHEN kind = 'text' AND r2 < 0.3 THEN 'translated feedback ' || g END,
                CASE WHEN kind = 'text' AND r2 < 0.3 THEN 'en' END,
                CASE WHEN kind = 'text' AND r3 < 0.7 THEN (ARRAY['positive', 'positive', 'positive', 'neutral', 'neutral', 'negative', 'negative', 'very_positive', 'very_negative', 'mixed'])[1 + g % 10] END,
                CASE WHEN kind = 'text' AND r3 < 0.7 THEN (ARRAY[0.5, 0.6, 0.4, 0.0, 0.1, -0.5, -0.4, 0.9, -0.9, 0.05])[1 + g % 10] END,
                CASE WHEN kind = 'text' AND r4 < 0.5 THEN CAST((ARRAY['{joy}', '{anger,disgust}', '{sadness}', '{surprise,joy}', '{fear}', '{anger}'])[1 + g % 6] AS text[]) END
            FROM (
                SELECT g, g / 5 AS s, g % 20 AS f, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                    now() - make_interval(secs => (g / 5) * 150) AS collected, tenant,
                    (ARRAY['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'nps', 'nps', 'nps',
                           'rating', 'rating', 'rating', 'categorical', 'categorical', 'csat', 'ces', 'number', 'date'])[1 + g % 20] AS kind
                FROM (
                    SELECT n / cardinality(CAST(? AS text[])) AS g,
                        (CAST(? AS text[]))[1 + n % cardinality(CAST(? AS text[]))] AS tenant
                    FROM generate_series(0, ? * cardinality(CAST(? AS text[])) - 1) AS n
                ) AS numbered
            ) AS rows
            """)) {
      java.sql.Array array = connection.createArrayOf("text", tenants.toArray());
      s.setArray(1, array);
      s.setArray(2, array);
      s.setArray(3, array);
      s.setInt(4, perTenant);
      s.setArray(5, array);
      s.executeUpdate();
    }
    analyze();
  }

  /** The share of {@code feedback_records}' pages the visibility map marks all-visible. */
  String visibility() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT relallvisible, relpages FROM pg_class WHERE relname = 'feedback_records'")) {
      rs.next();
      return rs.getLong(1) + " of " + rs.getLong(2) + " pages all-visible";
    }
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
