package org.feedbackhub.tenant;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.feedbackhub.core.RecordsPurgeService;
import org.feedbackhub.db.NamedStatementTemplateEngine;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A tenant's data as the records-only purge meets it, written straight into the tables: records
 * (some with embeddings and taxonomy memberships), a taxonomy graph, undelivered events, a queued
 * job and a pending webhook delivery about its records, plus what must survive (a webhook, its
 * settings, a delivered delivery, a deleted-event).
 */
final class RecordsPurgeFixtures {
  /** The application name of the service the tests drive themselves. */
  static final String APPLICATION_NAME = "feedback-hub-test-records-purge";

  private RecordsPurgeFixtures() {}

  /** A service on the test database with its own metrics, as the application would build it. */
  static RecordsPurgeService service(Duration lockTimeout, MetricRegistry metrics) {
    PGSimpleDataSource ds = TestDatabase.get().dataSource();
    ds.setApplicationName(APPLICATION_NAME);
    Jdbi jdbi =
        Jdbi.create(ds).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
    jdbi.setTemplateEngine(new NamedStatementTemplateEngine());
    TenantWriteLock lock = new TenantWriteLock(new TenantConflictMetrics(metrics), metrics);
    return new RecordsPurgeService(
        jdbi, lock, lockTimeout, metrics, "feedback-hub-lock-monitor", (h, id, t) -> {});
  }

  /** A Jdbi on the test database named {@link #APPLICATION_NAME}, as the application sets it up. */
  static Jdbi jdbi() {
    PGSimpleDataSource ds = TestDatabase.get().dataSource();
    ds.setApplicationName(APPLICATION_NAME);
    Jdbi jdbi =
        Jdbi.create(ds).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
    jdbi.setTemplateEngine(new NamedStatementTemplateEngine());
    return jdbi;
  }

  /** What {@link #fill} wrote that a purge of the tenant must delete, and count. */
  record Filled(
      int records,
      int embeddings,
      int memberships,
      int pendingMessages,
      int pendingDeliveries,
      List<String> recordIds) {}

  /**
   * {@code records} (at least 4) records of {@code tenant}; the first {@code embedded} with an
   * embedding and a taxonomy membership; an undelivered created-event about record 1, an embedding
   * job for record 2, a pending delivery (with an attempt) about record 3, and a taxonomy graph.
   */
  static Filled fill(String tenant, int records, int embedded) {
    List<String> ids =
        Db.queryStrings(
            """
            INSERT INTO feedback_records (source_type, field_id, field_type, value_text, tenant_id,
                submission_id)
            SELECT 'survey', 'q1', 'text', 'feedback ' || g, ?, 'rp-' || g
            FROM generate_series(1, ?) AS g
            RETURNING id::text
            """,
            tenant,
            records);
    Db.execute(
        """
        INSERT INTO embeddings (feedback_record_id, embedding, model)
        SELECT id, ARRAY[0.1, 0.2, 0.3]::real[], 'test-model'
        FROM feedback_records
        WHERE tenant_id = ? AND submission_id IN (SELECT 'rp-' || g FROM generate_series(1, ?) g)
        """,
        tenant,
        embedded);
    String run =
        Db.queryStrings(
                "INSERT INTO taxonomy_runs (tenant_id, source_type, field_id, status)"
                    + " VALUES (?, 'survey', 'q1', 'succeeded') RETURNING id::text",
                tenant)
            .get(0);
    String cluster =
        Db.queryStrings(
                "INSERT INTO taxonomy_clusters (run_id, cluster_key) VALUES (?::uuid, 1)"
                    + " RETURNING id::text",
                run)
            .get(0);
    Db.execute(
        """
        INSERT INTO taxonomy_cluster_memberships (run_id, tenant_id, cluster_id, feedback_record_id)
        SELECT ?::uuid, tenant_id, ?::uuid, id
        FROM feedback_records
        WHERE tenant_id = ? AND submission_id IN (SELECT 'rp-' || g FROM generate_series(1, ?) g)
        """,
        run,
        cluster,
        tenant,
        embedded);
    String node =
        Db.queryStrings(
                "INSERT INTO taxonomy_nodes (run_id, node_type, label, level)"
                    + " VALUES (?::uuid, 'root', 'All', 0) RETURNING id::text",
                run)
            .get(0);
    Db.execute(
        "INSERT INTO taxonomy_active_runs (tenant_id, scope_type, source_type, source_id, field_id,"
            + " run_id) VALUES (?, 'field', 'survey', '', 'q1', ?::uuid)",
        tenant,
        run);
    Db.execute(
        "INSERT INTO taxonomy_node_events (tenant_id, scope_type, source_type, source_id, field_id,"
            + " run_id, node_id, event_type, actor_id, new_value)"
            + " VALUES (?, 'field', 'survey', '', 'q1', ?::uuid, ?::uuid, 'rename', 'ops', 'x')",
        tenant,
        run,
        node);
    Db.execute(
        "INSERT INTO outbox_messages (topic, event_type, tenant_id, payload) VALUES"
            + " ('event', 'feedback_record.created', ?, jsonb_build_object('data',"
            + " jsonb_build_object('id', ?::text))),"
            + " ('embedding', NULL, ?, jsonb_build_object('feedback_record_id', ?::text)),"
            + " ('event', 'feedback_record.deleted', ?, jsonb_build_object('data',"
            + " jsonb_build_array(gen_random_uuid())))",
        tenant,
        ids.get(0),
        tenant,
        ids.get(1),
        tenant);
    String webhook =
        Db.queryStrings(
                "INSERT INTO webhooks (url, signing_key, tenant_id)"
                    + " VALUES ('https://example.org/hook', 'whsec_x', ?) RETURNING id::text",
                tenant)
            .get(0);
    for (int i = 2; i <= 3; i++) {
      String status = i == 2 ? "pending" : "succeeded";
      String delivery =
          Db.queryStrings(
                  "INSERT INTO webhook_deliveries (event_id, webhook_id, tenant_id, event_type,"
                      + " payload, status) VALUES (gen_random_uuid(), ?::uuid, ?,"
                      + " 'feedback_record.created', jsonb_build_object('data',"
                      + " jsonb_build_object('id', ?::text)), ?) RETURNING id::text",
                  webhook,
                  tenant,
                  ids.get(i),
                  status)
              .get(0);
      Db.execute(
          "INSERT INTO webhook_delivery_attempts (delivery_id, tenant_id, attempt, outcome,"
              + " duration_ms) VALUES (?::uuid, ?, 1, 'retry', 5)",
          delivery,
          tenant);
    }
    Db.execute(
        "INSERT INTO tenant_settings (tenant_id, settings) VALUES (?, '{\"k\": 1}')", tenant);
    return new Filled(records, embedded, embedded, 2, 1, ids);
  }

  static long count(String sql, Object... params) {
    return Db.queryLong(sql, params);
  }

  static long recordsAtOrBelow(String tenant, UUID mark) {
    return count(
        "SELECT count(*) FROM feedback_records WHERE tenant_id = ? AND id <= ?::uuid",
        tenant,
        mark.toString());
  }
}
