package org.feedbackhub.db;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The DELETEs of one batch of a records-only purge: a slice of the tenant's records at or below the
 * purge's high-water mark and everything derived from them, children first and without relying on
 * cascades, so that each count is exact. Run only inside the batch's transaction, after its
 * exclusive tenant lock.
 *
 * @implNote Enrichment failure markers ({@code feedback_record_enrichment_failures}) go by their
 *     foreign-key cascade on {@code feedback_record_id}, uncounted: that table is added by the
 *     enrichment work and is not known here yet.
 */
public interface RecordsPurgeBatchDao {
  /** How many records one batch deletes at most. */
  int BATCH = 2000;

  /** The newest record id of the tenant (ids are UUIDv7, time-ordered); empty without records. */
  @SqlQuery(
      """
      SELECT id
      FROM feedback_records
      WHERE tenant_id = :tenantId
      ORDER BY id DESC
      LIMIT 1
      """)
  Optional<UUID> newestRecordId(@Bind("tenantId") String tenantId);

  /**
   * Up to {@code limit} of the tenant's records at or below {@code mark}, in no particular order:
   * the batch holds the tenant lock exclusively, so none of them can change before it commits.
   */
  @SqlQuery(
      """
      SELECT id
      FROM feedback_records
      WHERE tenant_id = :tenantId
        AND id <= :mark
      LIMIT :limit
      """)
  List<UUID> nextBatch(
      @Bind("tenantId") String tenantId, @Bind("mark") UUID mark, @Bind("limit") int limit);

  @SqlUpdate(
      """
      DELETE FROM embeddings
      WHERE feedback_record_id = ANY(:ids)
      """)
  int deleteEmbeddings(@Bind("ids") UUID[] recordIds);

  @SqlUpdate(
      """
      DELETE FROM taxonomy_cluster_memberships
      WHERE tenant_id = :tenantId
        AND feedback_record_id = ANY(:ids)
      """)
  int deleteTaxonomyMemberships(@Bind("tenantId") String tenantId, @Bind("ids") UUID[] recordIds);

  /**
   * The tenant's undelivered events about these records ({@code data.id}) and its queued jobs for
   * them ({@code feedback_record_id}); {@code feedback_record.deleted} events name no single record
   * and stay.
   *
   * @implNote A hash join against the batch, not {@code = ANY}, so the cost grows with the tenant's
   *     pending rows plus the batch, not their product.
   */
  @SqlUpdate(
      """
      DELETE FROM outbox_messages o
      USING unnest(CAST(:ids AS text[])) AS batch(id)
      WHERE o.tenant_id = :tenantId
        AND COALESCE(o.payload ->> 'feedback_record_id', o.payload -> 'data' ->> 'id') = batch.id
      """)
  int deletePendingMessages(@Bind("tenantId") String tenantId, @Bind("ids") String[] recordIds);

  /** The attempt rows of the pending deliveries that {@link #deletePendingDeliveries} removes. */
  @SqlUpdate(
      """
      DELETE FROM webhook_delivery_attempts a
      USING webhook_deliveries d, unnest(CAST(:ids AS text[])) AS batch(id)
      WHERE a.delivery_id = d.id
        AND d.tenant_id = :tenantId
        AND d.status = 'pending'
        AND d.payload -> 'data' ->> 'id' = batch.id
      """)
  int deletePendingDeliveryAttempts(
      @Bind("tenantId") String tenantId, @Bind("ids") String[] recordIds);

  /**
   * Webhook deliveries of events about these records not yet delivered: their payloads carry the
   * record. A delivery already being sent finishes; recording its result then finds no row.
   */
  @SqlUpdate(
      """
      DELETE FROM webhook_deliveries d
      USING unnest(CAST(:ids AS text[])) AS batch(id)
      WHERE d.tenant_id = :tenantId
        AND d.status = 'pending'
        AND d.payload -> 'data' ->> 'id' = batch.id
      """)
  int deletePendingDeliveries(@Bind("tenantId") String tenantId, @Bind("ids") String[] recordIds);

  @SqlUpdate(
      """
      DELETE FROM feedback_records
      WHERE tenant_id = :tenantId
        AND id = ANY(:ids)
      """)
  int deleteRecords(@Bind("tenantId") String tenantId, @Bind("ids") UUID[] recordIds);

  /** Records of the tenant at or below {@code mark} still there: what a purge has left. */
  @SqlQuery(
      """
      SELECT count(*)
      FROM feedback_records
      WHERE tenant_id = :tenantId
        AND id <= :mark
      """)
  long recordsLeft(@Bind("tenantId") String tenantId, @Bind("mark") UUID mark);
}
