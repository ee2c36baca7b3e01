package org.feedbackhub.db;

import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.FetchSize;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The DELETEs of a tenant data purge, children first and without relying on cascades, so that each
 * count is exact. Run only inside the purge transaction, after its exclusive tenant lock.
 */
public interface TenantPurgeDao {
  /** How many records a purge deletes at a time while other sessions are busy. */
  int BATCH = 2000;

  @SqlUpdate(
      """
      DELETE FROM embeddings e
      USING feedback_records f
      WHERE e.feedback_record_id = f.id
        AND f.tenant_id = :tenantId
      """)
  int deleteEmbeddings(@Bind("tenantId") String tenantId);

  @SqlUpdate("DELETE FROM taxonomy_node_events WHERE tenant_id = :tenantId")
  int deleteTaxonomyNodeEvents(@Bind("tenantId") String tenantId);

  @SqlUpdate("DELETE FROM taxonomy_cluster_memberships WHERE tenant_id = :tenantId")
  int deleteTaxonomyClusterMemberships(@Bind("tenantId") String tenantId);

  @SqlUpdate(
      """
      DELETE FROM taxonomy_nodes
      WHERE run_id IN (SELECT id FROM taxonomy_runs WHERE tenant_id = :tenantId)
      """)
  int deleteTaxonomyNodes(@Bind("tenantId") String tenantId);

  @SqlUpdate(
      """
      DELETE FROM taxonomy_clusters
      WHERE run_id IN (SELECT id FROM taxonomy_runs WHERE tenant_id = :tenantId)
      """)
  int deleteTaxonomyClusters(@Bind("tenantId") String tenantId);

  @SqlUpdate("DELETE FROM taxonomy_active_runs WHERE tenant_id = :tenantId")
  int deleteTaxonomyActiveRuns(@Bind("tenantId") String tenantId);

  /** After nodes and clusters: their deletes find this tenant's runs through this table. */
  @SqlUpdate("DELETE FROM taxonomy_runs WHERE tenant_id = :tenantId")
  int deleteTaxonomyRuns(@Bind("tenantId") String tenantId);

  @SqlUpdate("DELETE FROM feedback_records WHERE tenant_id = :tenantId")
  int deleteFeedbackRecords(@Bind("tenantId") String tenantId);

  /**
   * The ids of the tenant's records as they stand when first fetched, in slices; needs the open
   * purge transaction. The records deleted meanwhile by that transaction do not slow later slices.
   */
  @SqlQuery("SELECT id FROM feedback_records WHERE tenant_id = :tenantId")
  @FetchSize(TenantPurgeDao.BATCH)
  Stream<UUID> streamRecordIds(@Bind("tenantId") String tenantId);

  @SqlUpdate("DELETE FROM embeddings WHERE feedback_record_id = ANY(:ids)")
  int deleteEmbeddingsOf(@Bind("ids") UUID[] recordIds);

  @SqlUpdate("DELETE FROM feedback_records WHERE id = ANY(:ids)")
  int deleteFeedbackRecordsById(@Bind("ids") UUID[] ids);

  /**
   * Other client sessions of this database doing work right now. Sessions of other roles count only
   * when the service's role may read their state ({@code pg_read_all_stats}).
   *
   * @implNote A session that only waits for a lock ({@code wait_event_type = 'Lock'}, such as a
   *     second purge queued behind this one, or a writer behind a row lock) does no work the purge
   *     could yield to, and sessions of other databases or named {@code ignoredApplicationName}
   *     (the lock monitor, which polls while a purge runs) are not the service's load.
   */
  @SqlQuery(
      """
      SELECT count(*) FROM pg_stat_activity
      WHERE state = 'active'
        AND backend_type = 'client backend'
        AND pid <> pg_backend_pid()
        AND datname = current_database()
        AND wait_event_type IS DISTINCT FROM 'Lock'
        AND application_name IS DISTINCT FROM CAST(:ignoredApplicationName AS text)
      """)
  int otherActiveSessions(@Bind("ignoredApplicationName") String ignoredApplicationName);

  /**
   * Pauses inside the transaction, which stays active rather than idle in transaction; returns 1
   * when done.
   */
  @SqlQuery("SELECT 1 FROM pg_sleep(:seconds)")
  int pause(@Bind("seconds") double seconds);

  @SqlUpdate("DELETE FROM webhook_delivery_attempts WHERE tenant_id = :tenantId")
  int deleteWebhookDeliveryAttempts(@Bind("tenantId") String tenantId);

  @SqlUpdate("DELETE FROM webhook_deliveries WHERE tenant_id = :tenantId")
  int deleteWebhookDeliveries(@Bind("tenantId") String tenantId);

  @SqlUpdate("DELETE FROM webhooks WHERE tenant_id = :tenantId")
  int deleteWebhooks(@Bind("tenantId") String tenantId);

  @SqlUpdate("DELETE FROM tenant_settings WHERE tenant_id = :tenantId")
  int deleteTenantSettings(@Bind("tenantId") String tenantId);

  /** Pending events and jobs: no payload of the tenant outlives the purge. */
  @SqlUpdate("DELETE FROM outbox_messages WHERE tenant_id = :tenantId")
  int deleteOutboxMessages(@Bind("tenantId") String tenantId);
}
