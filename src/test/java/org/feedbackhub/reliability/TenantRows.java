package org.feedbackhub.reliability;

import java.util.Arrays;
import org.feedbackhub.testing.Db;

/**
 * Every row a tenant owns, as one text: records with their embeddings, webhooks, settings, the six
 * taxonomy tables, outbox rows, purge history and enrichment markers and cooldowns. Two equal
 * snapshots mean nothing of the tenant was written in between, which is how the hostile-input tests
 * prove a 4xx wrote nothing.
 */
final class TenantRows {
  private static final String SNAPSHOT =
      """
      SELECT 'r' || f::text FROM feedback_records f WHERE f.tenant_id = ?
      UNION ALL SELECT 'e' || e::text FROM embeddings e
        JOIN feedback_records f ON f.id = e.feedback_record_id WHERE f.tenant_id = ?
      UNION ALL SELECT 'w' || w::text FROM webhooks w WHERE w.tenant_id = ?
      UNION ALL SELECT 's' || s::text FROM tenant_settings s WHERE s.tenant_id = ?
      UNION ALL SELECT 'tr' || x::text FROM taxonomy_runs x WHERE x.tenant_id = ?
      UNION ALL SELECT 'tc' || c::text FROM taxonomy_clusters c
        JOIN taxonomy_runs x ON x.id = c.run_id WHERE x.tenant_id = ?
      UNION ALL SELECT 'tm' || m::text FROM taxonomy_cluster_memberships m WHERE m.tenant_id = ?
      UNION ALL SELECT 'tn' || n::text FROM taxonomy_nodes n
        JOIN taxonomy_runs x ON x.id = n.run_id WHERE x.tenant_id = ?
      UNION ALL SELECT 'ta' || a::text FROM taxonomy_active_runs a WHERE a.tenant_id = ?
      UNION ALL SELECT 'te' || v::text FROM taxonomy_node_events v WHERE v.tenant_id = ?
      UNION ALL SELECT 'o' || o.id::text || o.topic FROM outbox_messages o WHERE o.tenant_id = ?
      UNION ALL SELECT 'p' || p.id::text FROM tenant_purges p WHERE p.tenant_id = ?
      UNION ALL SELECT 'xf' || x::text FROM feedback_record_enrichment_failures x WHERE x.tenant_id = ?
      UNION ALL SELECT 'xe' || x::text FROM feedback_record_enrichment_empty_results x
        WHERE x.tenant_id = ?
      UNION ALL SELECT 'xc' || x::text FROM enrichment_retry_cooldowns x WHERE x.tenant_id = ?
      ORDER BY 1
      """;

  private static final int BINDS = SNAPSHOT.length() - SNAPSHOT.replace("?", "").length();

  private TenantRows() {}

  /** The tenant's rows now; compare two snapshots with {@code isEqualTo}. */
  static String snapshot(String tenant) {
    Object[] params = new Object[BINDS];
    Arrays.fill(params, tenant);
    return String.join("\n", Db.queryStrings(SNAPSHOT, params));
  }
}
