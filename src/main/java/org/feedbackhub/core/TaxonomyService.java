package org.feedbackhub.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.api.TaxonomyNodeData;
import org.feedbackhub.api.TaxonomyResponses;
import org.feedbackhub.api.TaxonomyResponses.CreatedRun;
import org.feedbackhub.api.TaxonomyResponses.NodeCount;
import org.feedbackhub.api.TaxonomyRunData;
import org.feedbackhub.db.OutboxDao;
import org.feedbackhub.db.TaxonomyDao;
import org.feedbackhub.db.TaxonomyDao.Scope;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Jdbi;

/**
 * The public taxonomy API: field options, runs, trees, record counts and node edits. Every write
 * takes the tenant's shared write lock first; creating a run then takes the scope lock, and only
 * then row locks. Arguments arrive validated (see the resource).
 */
public final class TaxonomyService {
  static final String RUN = "taxonomy run";
  static final String NODE = "taxonomy node";
  static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbi jdbi;
  private final TenantWriteLock lock;
  private final BooleanSupplier embeddingsEnabled;
  private final TaxonomyFactory settings;
  private final String embeddingModel;

  /**
   * @param embeddingsEnabled whether embeddings are configured; taxonomy needs them (else 503)
   * @param embeddingModel the model whose vectors runs read: {@code TAXONOMY_EMBEDDING_MODEL}, by
   *     default the configured embedder's; blank when neither is set
   */
  public TaxonomyService(
      Jdbi jdbi,
      TenantWriteLock lock,
      BooleanSupplier embeddingsEnabled,
      TaxonomyFactory settings,
      String embeddingModel) {
    this.jdbi = jdbi;
    this.lock = lock;
    this.embeddingsEnabled = embeddingsEnabled;
    this.settings = settings;
    this.embeddingModel = embeddingModel;
  }

  /** 503 unless embeddings are configured (every taxonomy route needs them). */
  public void requireEmbeddings() {
    if (!embeddingsEnabled.getAsBoolean() || embeddingModel.isBlank()) {
      throw ProblemException.serviceUnavailable(
          "Taxonomy requires Hub embeddings to be configured.");
    }
  }

  /** 503 unless runs can be created: embeddings and the compute service are configured. */
  public void requireRunsAvailable() {
    requireEmbeddings();
    if (!settings.serviceConfigured()) {
      throw ProblemException.serviceUnavailable("Taxonomy service is not available.");
    }
  }

  public TaxonomyResponses.Fields fields(String tenantId) {
    return new TaxonomyResponses.Fields(
        jdbi.withHandle(h -> new TaxonomyDao(h).fieldOptions(tenantId, embeddingModel)));
  }

  public TaxonomyResponses.Runs listRuns(
      String tenantId,
      String scopeType,
      String sourceType,
      String sourceId,
      String fieldId,
      int limit) {
    return new TaxonomyResponses.Runs(
        jdbi.withHandle(
            h ->
                new TaxonomyDao(h)
                    .listRuns(tenantId, scopeType, sourceType, sourceId, fieldId, limit)));
  }

  public TaxonomyRunData getRun(UUID runId, String tenantId) {
    return jdbi.withHandle(h -> new TaxonomyDao(h).findRun(runId, tenantId))
        .orElseThrow(() -> ProblemException.notFound(RUN));
  }

  /**
   * Creates a run of the scope unless one is pending or running there (then returns that one with
   * {@code in_progress}), and enqueues its start job in the same transaction.
   *
   * @param requestId the id of the request asking, carried into the start job's log lines; may be
   *     null
   * @throws ProblemException a {@code validation} 400 on {@code field_id} when the scope has no
   *     text records or too few with embeddings
   */
  public CreatedRun createRun(Scope scope, String fieldLabel, String actorId, String requestId) {
    return jdbi.inTransaction(
        handle -> {
          lock.lockShared(handle, scope.tenantId(), "taxonomy_run.create");
          lock.lockScope(
              handle,
              TenantWriteLock.taxonomyScopeKey(
                  scope.scopeType(),
                  scope.tenantId(),
                  scope.sourceType(),
                  scope.sourceId(),
                  scope.fieldId()));
          TaxonomyDao dao = new TaxonomyDao(handle);
          Optional<TaxonomyRunData> running = dao.findInProgress(scope);
          if (running.isPresent()) {
            return new CreatedRun(running.get(), true);
          }
          TaxonomyDao.ScopeCounts counts = dao.scopeCounts(scope, embeddingModel);
          int min = settings.getMinEmbeddedRecords();
          if (counts.records() == 0) {
            throw ProblemException.validation(
                "field_id", "no text feedback records found for this field scope");
          }
          if (counts.embedded() < min) {
            throw ProblemException.validation(
                "field_id",
                "at least "
                    + min
                    + " embedded text feedback records are required; found "
                    + counts.embedded());
          }
          // The reference's run params: how it was triggered, the model, and who asked.
          ObjectNode params = JSON.createObjectNode();
          params.put("trigger", "manual");
          params.put("embedding_model", embeddingModel);
          if (actorId != null && !actorId.isBlank()) {
            params.put("requested_by", actorId.strip());
          }
          TaxonomyRunData run =
              dao.insertRun(
                  scope,
                  fieldLabel != null ? fieldLabel : counts.fieldLabel(),
                  write(params),
                  counts.records(),
                  counts.embedded());
          ObjectNode job = JSON.createObjectNode();
          job.put("run_id", run.id().toString());
          if (requestId != null) {
            job.put("request_id", requestId);
          }
          handle
              .attach(OutboxDao.class)
              .insert(OutboxDao.TAXONOMY_START, "taxonomy_run.start", run.tenantId(), write(job));
          return new CreatedRun(run, false);
        });
  }

  /** The active run of a scope with its visible tree; 404 when the scope has none. */
  public TaxonomyResponses.Tree activeTree(Scope scope) {
    return jdbi.withHandle(
        h -> {
          TaxonomyDao dao = new TaxonomyDao(h);
          TaxonomyRunData run =
              dao.findActiveRun(scope).orElseThrow(() -> ProblemException.notFound(RUN));
          return new TaxonomyResponses.Tree(run, tree(dao.nodesOfRun(run.id())));
        });
  }

  public TaxonomyResponses.Tree runTree(UUID runId, String tenantId) {
    return jdbi.withHandle(
        h -> {
          TaxonomyDao dao = new TaxonomyDao(h);
          TaxonomyRunData run =
              dao.findRun(runId, tenantId).orElseThrow(() -> ProblemException.notFound(RUN));
          return new TaxonomyResponses.Tree(run, tree(dao.nodesOfRun(run.id())));
        });
  }

  /** Each visible node's subtree total of distinct clusters' records. */
  public TaxonomyResponses.RecordCounts recordCounts(UUID runId, String tenantId) {
    return jdbi.withHandle(
        h -> {
          TaxonomyDao dao = new TaxonomyDao(h);
          TaxonomyRunData run =
              dao.findRun(runId, tenantId).orElseThrow(() -> ProblemException.notFound(RUN));
          TaxonomyNodeData root = tree(dao.nodesOfRun(run.id()));
          Map<UUID, Long> sizes = dao.clusterSizes(run.id());
          List<NodeCount> counts = new ArrayList<>();
          if (root != null) {
            count(root, sizes, counts);
          }
          return new TaxonomyResponses.RecordCounts(counts);
        });
  }

  private static Set<UUID> count(
      TaxonomyNodeData node, Map<UUID, Long> sizes, List<NodeCount> counts) {
    Set<UUID> clusters = new HashSet<>();
    if (node.clusterId() != null) {
      clusters.add(node.clusterId());
    }
    int at = counts.size();
    counts.add(null);
    for (TaxonomyNodeData child :
        node.children() == null ? List.<TaxonomyNodeData>of() : node.children()) {
      clusters.addAll(count(child, sizes, counts));
    }
    long total = 0;
    for (UUID cluster : clusters) {
      total += sizes.getOrDefault(cluster, 0L);
    }
    counts.set(at, new NodeCount(node.id(), total));
    return clusters;
  }

  /**
   * The visible tree of {@code nodes}: the root and every node whose ancestors are all present; a
   * removed node hides its subtree. Null when there is no visible root.
   */
  static TaxonomyNodeData tree(List<TaxonomyNodeData> nodes) {
    Map<UUID, List<TaxonomyNodeData>> children = new HashMap<>();
    TaxonomyNodeData root = null;
    for (TaxonomyNodeData node : nodes) {
      if (node.removedAt() != null) {
        continue;
      }
      if (node.parentId() == null) {
        root = node;
      } else {
        children.computeIfAbsent(node.parentId(), k -> new ArrayList<>()).add(node);
      }
    }
    return root == null ? null : attach(root, children);
  }

  private static TaxonomyNodeData attach(
      TaxonomyNodeData node, Map<UUID, List<TaxonomyNodeData>> children) {
    List<TaxonomyNodeData> attached = new ArrayList<>();
    for (TaxonomyNodeData child : children.getOrDefault(node.id(), List.of())) {
      attached.add(attach(child, children));
    }
    // A leaf omits children, as the reference's omitempty does.
    return node.withChildren(attached.isEmpty() ? null : attached);
  }

  /** Renames a node of the tenant and audits the rename. */
  public TaxonomyNodeData renameNode(UUID nodeId, String tenantId, String actorId, String label) {
    return jdbi.inTransaction(
        handle -> {
          lock.lockShared(handle, tenantId, "taxonomy_node.rename");
          TaxonomyDao dao = new TaxonomyDao(handle);
          TaxonomyNodeData node =
              dao.lockNode(nodeId, tenantId).orElseThrow(() -> ProblemException.notFound(NODE));
          TaxonomyNodeData renamed = dao.renameNode(nodeId, label);
          TaxonomyRunData run = dao.findRun(node.runId(), tenantId).orElseThrow();
          dao.insertNodeEvent(run, nodeId, "rename", actorId, node.label(), label);
          return renamed;
        });
  }

  /** Soft-removes a node of the tenant (and so hides its subtree) and audits it; idempotent. */
  public TaxonomyNodeData removeNode(UUID nodeId, String tenantId, String actorId) {
    return jdbi.inTransaction(
        handle -> {
          lock.lockShared(handle, tenantId, "taxonomy_node.remove");
          TaxonomyDao dao = new TaxonomyDao(handle);
          TaxonomyNodeData node =
              dao.lockNode(nodeId, tenantId).orElseThrow(() -> ProblemException.notFound(NODE));
          if (node.removedAt() != null) {
            return node;
          }
          TaxonomyNodeData removed = dao.softRemoveNode(nodeId, actorId);
          TaxonomyRunData run = dao.findRun(node.runId(), tenantId).orElseThrow();
          dao.insertNodeEvent(run, nodeId, "soft_remove", actorId, null, null);
          return removed;
        });
  }

  public TaxonomyResponses.NodeRecords nodeRecords(UUID nodeId, String tenantId, int limit) {
    return new TaxonomyResponses.NodeRecords(
        jdbi.withHandle(h -> new TaxonomyDao(h).nodeRecords(nodeId, tenantId, limit)), limit);
  }

  static String write(Object json) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
