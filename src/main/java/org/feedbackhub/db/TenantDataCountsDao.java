package org.feedbackhub.db;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Read-only counts of what a tenant purge would delete, for the admin console's confirmation step.
 * One statement, one snapshot; the table list mirrors {@link TenantPurgeDao}.
 */
public interface TenantDataCountsDao {
  @SqlQuery(
      """
      SELECT json_build_object(
          'feedback_records',
              (SELECT count(*) FROM feedback_records WHERE tenant_id = :tenantId),
          'embeddings',
              (SELECT count(*)
               FROM embeddings e
               JOIN feedback_records f
                   ON f.id = e.feedback_record_id
               WHERE f.tenant_id = :tenantId),
          'webhooks',
              (SELECT count(*) FROM webhooks WHERE tenant_id = :tenantId),
          'webhook_deliveries',
              (SELECT count(*) FROM webhook_deliveries WHERE tenant_id = :tenantId),
          'taxonomy_runs',
              (SELECT count(*) FROM taxonomy_runs WHERE tenant_id = :tenantId),
          'taxonomy_clusters',
              (SELECT count(*)
               FROM taxonomy_clusters
               WHERE run_id IN (SELECT id FROM taxonomy_runs WHERE tenant_id = :tenantId)),
          'taxonomy_cluster_memberships',
              (SELECT count(*) FROM taxonomy_cluster_memberships WHERE tenant_id = :tenantId),
          'taxonomy_nodes',
              (SELECT count(*)
               FROM taxonomy_nodes
               WHERE run_id IN (SELECT id FROM taxonomy_runs WHERE tenant_id = :tenantId)),
          'taxonomy_active_runs',
              (SELECT count(*) FROM taxonomy_active_runs WHERE tenant_id = :tenantId),
          'taxonomy_node_events',
              (SELECT count(*) FROM taxonomy_node_events WHERE tenant_id = :tenantId),
          'tenant_settings',
              (SELECT count(*) FROM tenant_settings WHERE tenant_id = :tenantId),
          'pending_events',
              (SELECT count(*) FROM outbox_messages WHERE tenant_id = :tenantId))::text
      """)
  String countsAsJson(@Bind("tenantId") String tenantId);
}
