package org.feedbackhub.db;

import java.sql.Array;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.feedbackhub.api.FeedbackRecordData;
import org.feedbackhub.api.TaxonomyFieldOption;
import org.feedbackhub.api.TaxonomyNodeData;
import org.feedbackhub.api.TaxonomyResponses.InputRecord;
import org.feedbackhub.api.TaxonomyRunData;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * SQL of the six taxonomy tables over one {@link Handle}, so a caller's lock and its writes share
 * one transaction. Every public read is tenant-scoped except where a method says otherwise.
 */
public final class TaxonomyDao {
  /** A run scope: {@code scopeType} field or directory; '' means "no source" or directory. */
  public record Scope(
      String tenantId, String scopeType, String sourceType, String sourceId, String fieldId) {}

  /** The records of a scope that a run can use: non-blank text values. */
  private static final String SCOPE_RECORDS =
      """
      r.tenant_id = :tenantId AND r.field_type = 'text' AND r.value_text IS NOT NULL
        AND btrim(r.value_text) <> ''
        AND (:scopeType = 'directory' OR (r.source_type = :sourceType
          AND COALESCE(r.source_id, '') = :sourceId AND r.field_id = :fieldId))
      """;

  private static final String STALE =
      "COALESCE(heartbeat_at, started_at, created_at) < now() - make_interval(secs => :timeout)";

  private final Handle handle;
  private final TaxonomyMappers.RunMapper runs = new TaxonomyMappers.RunMapper();
  private final TaxonomyMappers.NodeMapper nodes = new TaxonomyMappers.NodeMapper();

  public TaxonomyDao(Handle handle) {
    this.handle = handle;
  }

  private static Query bindScope(Query query, Scope scope) {
    return query
        .bind("tenantId", scope.tenantId())
        .bind("scopeType", scope.scopeType())
        .bind("sourceType", scope.sourceType())
        .bind("sourceId", scope.sourceId())
        .bind("fieldId", scope.fieldId());
  }

  // ---- fields and input -------------------------------------------------------------------

  public List<TaxonomyFieldOption> fieldOptions(String tenantId, String model) {
    return handle
        .createQuery(
            """
            SELECT r.tenant_id, r.source_type, COALESCE(r.source_id, '') AS sid,
                   max(r.source_name) AS source_name, r.field_id, max(r.field_label) AS field_label,
                   count(*) AS record_count, count(e.id) AS embedding_count
            FROM feedback_records r
            LEFT JOIN embeddings e ON e.feedback_record_id = r.id AND e.model = :model
            WHERE r.tenant_id = :tenantId AND r.field_type = 'text'
              AND r.value_text IS NOT NULL AND btrim(r.value_text) <> ''
            GROUP BY r.tenant_id, r.source_type, COALESCE(r.source_id, ''), r.field_id
            ORDER BY r.source_type, sid, r.field_id
            """)
        .bind("tenantId", tenantId)
        .bind("model", model)
        .map(
            (rs, ctx) ->
                new TaxonomyFieldOption(
                    rs.getString("tenant_id"),
                    rs.getString("source_type"),
                    rs.getString("sid"),
                    rs.getString("source_name"),
                    rs.getString("field_id"),
                    rs.getString("field_label"),
                    rs.getLong("record_count"),
                    rs.getLong("embedding_count")))
        .list();
  }

  /** What a scope holds for a run: text records, those with an embedding, a field label. */
  public record ScopeCounts(long records, long embedded, String fieldLabel) {}

  public ScopeCounts scopeCounts(Scope scope, String model) {
    return bindScope(
            handle.createQuery(
                "SELECT count(*) AS n, count(e.id) AS embedded, max(r.field_label) AS label"
                    + " FROM feedback_records r"
                    + " LEFT JOIN embeddings e ON e.feedback_record_id = r.id AND e.model = :model"
                    + " WHERE "
                    + SCOPE_RECORDS),
            scope)
        .bind("model", model)
        .map(
            (rs, ctx) ->
                new ScopeCounts(rs.getLong("n"), rs.getLong("embedded"), rs.getString("label")))
        .one();
  }

  /** The scope's records that have an embedding of {@code model}, with it. */
  public List<InputRecord> inputRecords(Scope scope, String model) {
    return bindScope(
            handle.createQuery(
                "SELECT r.id, r.source_type, r.source_id, r.field_id, r.field_label, r.value_text,"
                    + " e.embedding FROM feedback_records r"
                    + " JOIN embeddings e ON e.feedback_record_id = r.id AND e.model = :model"
                    + " WHERE "
                    + SCOPE_RECORDS
                    + " ORDER BY r.id"),
            scope)
        .bind("model", model)
        .map(
            (rs, ctx) ->
                new InputRecord(
                    rs.getObject("id", UUID.class),
                    rs.getString("source_type"),
                    rs.getString("source_id"),
                    rs.getString("field_id"),
                    rs.getString("field_label"),
                    rs.getString("value_text"),
                    floats(rs.getArray("embedding"))))
        .list();
  }

  private static float[] floats(Array array) throws SQLException {
    Object[] values = (Object[]) array.getArray();
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = ((Number) values[i]).floatValue();
    }
    return out;
  }

  // ---- runs ---------------------------------------------------------------------------------

  public TaxonomyRunData insertRun(
      Scope scope, String fieldLabel, String paramsJson, long records, long embedded) {
    return handle
        .createQuery(
            """
            INSERT INTO taxonomy_runs (tenant_id, scope_type, source_type, source_id, field_id,
                field_label, params, record_count, embedding_count)
            VALUES (:tenantId, CAST(:scopeType AS taxonomy_scope_type_enum), :sourceType,
                :sourceId, :fieldId, :fieldLabel, CAST(:params AS jsonb), :records, :embedded)
            RETURNING *
            """)
        .bind("tenantId", scope.tenantId())
        .bind("scopeType", scope.scopeType())
        .bind("sourceType", scope.sourceType())
        .bind("sourceId", scope.sourceId())
        .bind("fieldId", scope.fieldId())
        .bind("fieldLabel", fieldLabel)
        .bind("params", paramsJson)
        .bind("records", (int) records)
        .bind("embedded", (int) embedded)
        .map(runs)
        .one();
  }

  /** The newest pending or running run of the scope. */
  public Optional<TaxonomyRunData> findInProgress(Scope scope) {
    return handle
        .createQuery(
            """
            SELECT * FROM taxonomy_runs
            WHERE tenant_id = :tenantId AND scope_type = CAST(:scopeType AS taxonomy_scope_type_enum)
              AND source_type = :sourceType AND source_id = :sourceId AND field_id = :fieldId
              AND status IN ('pending', 'running')
            ORDER BY created_at DESC LIMIT 1
            """)
        .bind("tenantId", scope.tenantId())
        .bind("scopeType", scope.scopeType())
        .bind("sourceType", scope.sourceType())
        .bind("sourceId", scope.sourceId())
        .bind("fieldId", scope.fieldId())
        .map(runs)
        .findOne();
  }

  public Optional<TaxonomyRunData> findRun(UUID id, String tenantId) {
    return handle
        .createQuery("SELECT * FROM taxonomy_runs WHERE id = :id AND tenant_id = :tenantId")
        .bind("id", id)
        .bind("tenantId", tenantId)
        .map(runs)
        .findOne();
  }

  /** A run by id alone, for the internal API whose caller knows no tenant. */
  public Optional<TaxonomyRunData> findRunAnyTenant(UUID id) {
    return handle
        .createQuery("SELECT * FROM taxonomy_runs WHERE id = :id")
        .bind("id", id)
        .map(runs)
        .findOne();
  }

  /** Row-locks a run of the tenant; call only after the tenant lock. */
  public Optional<TaxonomyRunData> lockRun(UUID id, String tenantId) {
    return handle
        .createQuery(
            "SELECT * FROM taxonomy_runs WHERE id = :id AND tenant_id = :tenantId FOR UPDATE")
        .bind("id", id)
        .bind("tenantId", tenantId)
        .map(runs)
        .findOne();
  }

  /**
   * Runs of a tenant, newest first. A null filter is no filter; {@code sourceId} "" selects the "no
   * source" bucket.
   */
  public List<TaxonomyRunData> listRuns(
      String tenantId,
      String scopeType,
      String sourceType,
      String sourceId,
      String fieldId,
      int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT * FROM taxonomy_runs WHERE tenant_id = :tenantId");
    if (scopeType != null) {
      sql.append(" AND scope_type = CAST(:scopeType AS taxonomy_scope_type_enum)");
    }
    if (sourceType != null) {
      sql.append(" AND source_type = :sourceType");
    }
    if (sourceId != null) {
      sql.append(" AND source_id = :sourceId");
    }
    if (fieldId != null) {
      sql.append(" AND field_id = :fieldId");
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
    Query query = handle.createQuery(sql.toString()).bind("tenantId", tenantId);
    // Only the filters in the SQL are bound: Jdbi refuses superfluous named bindings.
    if (scopeType != null) {
      query.bind("scopeType", scopeType);
    }
    if (sourceType != null) {
      query.bind("sourceType", sourceType);
    }
    if (sourceId != null) {
      query.bind("sourceId", sourceId);
    }
    if (fieldId != null) {
      query.bind("fieldId", fieldId);
    }
    return query.bind("limit", limit).map(runs).list();
  }

  /** pending → running; empty when the run is not pending (or not the tenant's). */
  public Optional<TaxonomyRunData> markRunning(UUID id, String tenantId) {
    return handle
        .createQuery(
            """
            UPDATE taxonomy_runs SET status = 'running', started_at = now(), heartbeat_at = now(),
                updated_at = now()
            WHERE id = :id AND tenant_id = :tenantId AND status = 'pending'
            RETURNING *
            """)
        .bind("id", id)
        .bind("tenantId", tenantId)
        .map(runs)
        .findOne();
  }

  /** pending|running → failed; empty when the run is in neither state. */
  public Optional<TaxonomyRunData> markFailed(
      UUID id, String tenantId, String error, String errorCode) {
    return handle
        .createQuery(
            """
            UPDATE taxonomy_runs SET status = 'failed', error = :error, error_code = :errorCode,
                finished_at = now(), updated_at = now()
            WHERE id = :id AND tenant_id = :tenantId AND status IN ('pending', 'running')
            RETURNING *
            """)
        .bind("id", id)
        .bind("tenantId", tenantId)
        .bind("error", error)
        .bind("errorCode", errorCode)
        .map(runs)
        .findOne();
  }

  /** Records a heartbeat of a pending or running run; false when it is in neither state. */
  public boolean heartbeat(UUID id, String tenantId) {
    return handle
            .createUpdate(
                """
                UPDATE taxonomy_runs SET heartbeat_at = now(), updated_at = now()
                WHERE id = :id AND tenant_id = :tenantId AND status IN ('pending', 'running')
                """)
            .bind("id", id)
            .bind("tenantId", tenantId)
            .execute()
        == 1;
  }

  /** Pending or running runs whose last sign of life is older than {@code timeoutSeconds}. */
  public List<Map.Entry<UUID, String>> staleRuns(long timeoutSeconds, int limit) {
    return handle
        .createQuery(
            "SELECT id, tenant_id FROM taxonomy_runs WHERE status IN ('pending', 'running') AND "
                + STALE
                + " ORDER BY created_at LIMIT :limit")
        .bind("timeout", (double) timeoutSeconds)
        .bind("limit", limit)
        .map((rs, ctx) -> Map.entry(rs.getObject("id", UUID.class), rs.getString("tenant_id")))
        .list();
  }

  /** Fails the run if it is still in progress and still stale, checked in the UPDATE itself. */
  public boolean failIfStale(UUID id, String tenantId, long timeoutSeconds, String error) {
    return handle
            .createUpdate(
                "UPDATE taxonomy_runs SET status = 'failed', error = :error,"
                    + " error_code = 'internal_error', finished_at = now(), updated_at = now()"
                    + " WHERE id = :id AND tenant_id = :tenantId"
                    + " AND status IN ('pending', 'running') AND "
                    + STALE)
            .bind("id", id)
            .bind("tenantId", tenantId)
            .bind("timeout", (double) timeoutSeconds)
            .bind("error", error)
            .execute()
        == 1;
  }

  // ---- results ------------------------------------------------------------------------------

  /** Inserts a cluster and returns its id. */
  public UUID insertCluster(
      UUID runId,
      int clusterKey,
      String label,
      String llmLabel,
      String keywordsJson,
      int size,
      boolean isOutlier,
      String metricsJson) {
    return handle
        .createQuery(
            """
            INSERT INTO taxonomy_clusters (run_id, cluster_key, label, llm_label, keywords, size,
                is_outlier, metrics)
            VALUES (:runId, :key, :label, :llmLabel, CAST(:keywords AS jsonb), :size, :outlier,
                CAST(:metrics AS jsonb))
            RETURNING id
            """)
        .bind("runId", runId)
        .bind("key", clusterKey)
        .bind("label", label)
        .bind("llmLabel", llmLabel)
        .bind("keywords", keywordsJson)
        .bind("size", size)
        .bind("outlier", isOutlier)
        .bind("metrics", metricsJson)
        .mapTo(UUID.class)
        .one();
  }

  /**
   * Which of {@code ids} are records of the tenant, key-share locked until the transaction ends.
   *
   * @implNote {@code FOR KEY SHARE} is the lock the memberships' foreign key takes anyway, taken
   *     here first: a record deleted concurrently is then either gone from this answer (and the
   *     result is a validation problem) or cannot be deleted before the memberships commit, never a
   *     foreign-key failure (23503) between the check and the insert.
   */
  public List<UUID> existingRecords(String tenantId, UUID[] ids) {
    return handle
        .createQuery(
            "SELECT id FROM feedback_records WHERE tenant_id = :tenantId AND id = ANY(:ids)"
                + " FOR KEY SHARE")
        .bind("tenantId", tenantId)
        .bind("ids", ids)
        .mapTo(UUID.class)
        .list();
  }

  /** A batch inserting memberships: bind runId, tenantId, clusterId, recordId, confidence, ... */
  public PreparedBatch membershipBatch() {
    return handle.prepareBatch(
        """
        INSERT INTO taxonomy_cluster_memberships (run_id, tenant_id, cluster_id, feedback_record_id,
            confidence, distance, metadata)
        VALUES (:runId, :tenantId, :clusterId, :recordId, :confidence, :distance,
            CAST(:metadata AS jsonb))
        """);
  }

  /** Inserts a node and returns its id. */
  public UUID insertNode(
      UUID runId,
      UUID parentId,
      UUID clusterId,
      String nodeType,
      String label,
      String description,
      int level,
      int sortOrder,
      String metadataJson) {
    return handle
        .createQuery(
            """
            INSERT INTO taxonomy_nodes (run_id, parent_id, cluster_id, node_type, label,
                original_label, description, level, sort_order, metadata)
            VALUES (:runId, :parentId, :clusterId, CAST(:nodeType AS taxonomy_node_type_enum),
                :label, :label, :description, :level, :sortOrder, CAST(:metadata AS jsonb))
            RETURNING id
            """)
        .bind("runId", runId)
        .bind("parentId", parentId)
        .bind("clusterId", clusterId)
        .bind("nodeType", nodeType)
        .bind("label", label)
        .bind("description", description)
        .bind("level", level)
        .bind("sortOrder", sortOrder)
        .bind("metadata", metadataJson)
        .mapTo(UUID.class)
        .one();
  }

  /** running|pending → succeeded with the result's counts; empty when in neither state. */
  public Optional<TaxonomyRunData> markSucceeded(
      UUID id, String tenantId, String metricsJson, int clusters, int nodeCount) {
    return handle
        .createQuery(
            """
            UPDATE taxonomy_runs SET status = 'succeeded', metrics = CAST(:metrics AS jsonb),
                cluster_count = :clusters, node_count = :nodes, error = NULL, error_code = NULL,
                finished_at = now(), updated_at = now()
            WHERE id = :id AND tenant_id = :tenantId AND status IN ('pending', 'running')
            RETURNING *
            """)
        .bind("id", id)
        .bind("tenantId", tenantId)
        .bind("metrics", metricsJson)
        .bind("clusters", clusters)
        .bind("nodes", nodeCount)
        .map(runs)
        .findOne();
  }

  /** Makes {@code run} the active run of its scope. */
  public void activate(TaxonomyRunData run, String activatedBy) {
    handle
        .createUpdate(
            """
            INSERT INTO taxonomy_active_runs (tenant_id, scope_type, source_type, source_id,
                field_id, run_id, activated_by)
            VALUES (:tenantId, CAST(:scopeType AS taxonomy_scope_type_enum), :sourceType,
                :sourceId, :fieldId, :runId, :by)
            ON CONFLICT (tenant_id, scope_type, source_type, source_id, field_id)
            DO UPDATE SET run_id = EXCLUDED.run_id, activated_at = now(),
                activated_by = EXCLUDED.activated_by
            """)
        .bind("tenantId", run.tenantId())
        .bind("scopeType", run.scopeType())
        .bind("sourceType", run.sourceType())
        .bind("sourceId", run.sourceId())
        .bind("fieldId", run.fieldId())
        .bind("runId", run.id())
        .bind("by", activatedBy)
        .execute();
  }

  // ---- trees and nodes ----------------------------------------------------------------------

  public Optional<TaxonomyRunData> findActiveRun(Scope scope) {
    return handle
        .createQuery(
            """
            SELECT r.* FROM taxonomy_active_runs a JOIN taxonomy_runs r ON r.id = a.run_id
            WHERE a.tenant_id = :tenantId AND a.scope_type = CAST(:scopeType AS taxonomy_scope_type_enum)
              AND a.source_type = :sourceType AND a.source_id = :sourceId AND a.field_id = :fieldId
              AND r.tenant_id = :tenantId
            """)
        .bind("tenantId", scope.tenantId())
        .bind("scopeType", scope.scopeType())
        .bind("sourceType", scope.sourceType())
        .bind("sourceId", scope.sourceId())
        .bind("fieldId", scope.fieldId())
        .map(runs)
        .findOne();
  }

  /** Every node of a run, removed ones included, in tree order (level, sort order). */
  public List<TaxonomyNodeData> nodesOfRun(UUID runId) {
    return handle
        .createQuery(
            "SELECT * FROM taxonomy_nodes WHERE run_id = :runId ORDER BY level, sort_order, id")
        .bind("runId", runId)
        .map(nodes)
        .list();
  }

  /** Membership counts by cluster id of a run. */
  public Map<UUID, Long> clusterSizes(UUID runId) {
    Map<UUID, Long> sizes = new java.util.HashMap<>();
    handle
        .createQuery(
            "SELECT cluster_id, count(*) AS n FROM taxonomy_cluster_memberships"
                + " WHERE run_id = :runId GROUP BY cluster_id")
        .bind("runId", runId)
        .map((rs, ctx) -> Map.entry(rs.getObject("cluster_id", UUID.class), rs.getLong("n")))
        .forEach(e -> sizes.put(e.getKey(), e.getValue()));
    return sizes;
  }

  /** A node whose run belongs to the tenant, row-locked; call only after the tenant lock. */
  public Optional<TaxonomyNodeData> lockNode(UUID nodeId, String tenantId) {
    return handle
        .createQuery(
            """
            SELECT n.* FROM taxonomy_nodes n JOIN taxonomy_runs r ON r.id = n.run_id
            WHERE n.id = :id AND r.tenant_id = :tenantId
            FOR UPDATE OF n
            """)
        .bind("id", nodeId)
        .bind("tenantId", tenantId)
        .map(nodes)
        .findOne();
  }

  public TaxonomyNodeData renameNode(UUID nodeId, String label) {
    return handle
        .createQuery(
            """
            UPDATE taxonomy_nodes SET label = :label, original_label = COALESCE(original_label, label),
                updated_at = now()
            WHERE id = :id RETURNING *
            """)
        .bind("id", nodeId)
        .bind("label", label)
        .map(nodes)
        .one();
  }

  public TaxonomyNodeData softRemoveNode(UUID nodeId, String actorId) {
    return handle
        .createQuery(
            """
            UPDATE taxonomy_nodes SET removed_at = now(), removed_by = :actor, updated_at = now()
            WHERE id = :id RETURNING *
            """)
        .bind("id", nodeId)
        .bind("actor", actorId)
        .map(nodes)
        .one();
  }

  /** Audits a rename or soft remove of {@code node}. */
  public void insertNodeEvent(
      TaxonomyRunData run,
      UUID nodeId,
      String eventType,
      String actorId,
      String oldValue,
      String newValue) {
    handle
        .createUpdate(
            """
            INSERT INTO taxonomy_node_events (tenant_id, scope_type, source_type, source_id,
                field_id, run_id, node_id, event_type, actor_id, old_value, new_value)
            VALUES (:tenantId, CAST(:scopeType AS taxonomy_scope_type_enum), :sourceType,
                :sourceId, :fieldId, :runId, :nodeId,
                CAST(:eventType AS taxonomy_node_event_type_enum), :actor, :old, :new)
            """)
        .bind("tenantId", run.tenantId())
        .bind("scopeType", run.scopeType())
        .bind("sourceType", run.sourceType())
        .bind("sourceId", run.sourceId())
        .bind("fieldId", run.fieldId())
        .bind("runId", run.id())
        .bind("nodeId", nodeId)
        .bind("eventType", eventType)
        .bind("actor", actorId)
        .bind("old", oldValue)
        .bind("new", newValue)
        .execute();
  }

  /**
   * The tenant's records in the clusters of the visible subtree under {@code nodeId}; none when the
   * node is not the tenant's.
   */
  public List<FeedbackRecordData> nodeRecords(UUID nodeId, String tenantId, int limit) {
    return handle
        .createQuery(
            """
            WITH RECURSIVE sub AS (
                SELECT n.id, n.cluster_id, n.run_id FROM taxonomy_nodes n
                JOIN taxonomy_runs r ON r.id = n.run_id
                WHERE n.id = :nodeId AND r.tenant_id = :tenantId AND n.removed_at IS NULL
              UNION ALL
                SELECT c.id, c.cluster_id, c.run_id FROM taxonomy_nodes c
                JOIN sub ON c.parent_id = sub.id WHERE c.removed_at IS NULL
            )
            SELECT fr.* FROM feedback_records fr
            WHERE fr.tenant_id = :tenantId AND fr.id IN (
                SELECT m.feedback_record_id FROM taxonomy_cluster_memberships m
                JOIN sub ON m.cluster_id = sub.cluster_id AND m.run_id = sub.run_id
                WHERE m.tenant_id = :tenantId)
            ORDER BY fr.collected_at DESC, fr.id
            LIMIT :limit
            """)
        .bind("nodeId", nodeId)
        .bind("tenantId", tenantId)
        .bind("limit", limit)
        .map(new FeedbackRecordMapper())
        .list();
  }

  /** A run's status read through this handle (so inside the caller's transaction). */
  public Optional<String> status(UUID id) {
    return handle
        .createQuery("SELECT status FROM taxonomy_runs WHERE id = :id")
        .bind("id", id)
        .mapTo(String.class)
        .findOne();
  }
}
