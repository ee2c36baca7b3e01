package org.feedbackhub.core;

import static org.feedbackhub.core.TaxonomyService.RUN;
import static org.feedbackhub.core.TaxonomyService.write;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.api.TaxonomyRequests;
import org.feedbackhub.api.TaxonomyResponses;
import org.feedbackhub.api.TaxonomyRunData;
import org.feedbackhub.api.Validation;
import org.feedbackhub.db.TaxonomyDao;
import org.feedbackhub.db.TaxonomyDao.Scope;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * A run's life after creation, driven by the start worker, the compute service (internal API) and
 * the reaper: input, running, heartbeat, result (which activates the run) and failure. Every
 * transition finds the run's tenant first, takes its shared write lock, and only then row-locks or
 * updates the run; an illegal transition is a terminal 409 {@code conflict} whose detail is read
 * through the same open transaction.
 */
public final class TaxonomyRunLifecycle {
  /** The failure codes a run may carry. */
  public static final List<String> ERROR_CODES =
      List.of(
          "insufficient_data",
          "service_unavailable",
          "generation_failed",
          "invalid_output",
          "internal_error");

  static final int ERROR_MAX = 2000;
  static final int LABEL_MAX = 2048;

  private final Jdbi jdbi;
  private final TenantWriteLock lock;
  private final String embeddingModel;

  public TaxonomyRunLifecycle(Jdbi jdbi, TenantWriteLock lock, String embeddingModel) {
    this.jdbi = jdbi;
    this.lock = lock;
    this.embeddingModel = embeddingModel;
  }

  /** The run (looked up without a tenant filter) and its records with their embeddings. */
  public TaxonomyResponses.RunInput input(UUID runId) {
    return jdbi.withHandle(
        h -> {
          TaxonomyDao dao = new TaxonomyDao(h);
          TaxonomyRunData run =
              dao.findRunAnyTenant(runId).orElseThrow(() -> ProblemException.notFound(RUN));
          Scope scope =
              new Scope(
                  run.tenantId(), run.scopeType(), run.sourceType(), run.sourceId(), run.fieldId());
          return new TaxonomyResponses.RunInput(run, dao.inputRecords(scope, embeddingModel));
        });
  }

  /** pending → running. */
  public TaxonomyRunData markRunning(UUID runId) {
    return jdbi.inTransaction(h -> markRunning(h, runId));
  }

  /** pending → running inside the caller's open transaction. */
  public TaxonomyRunData markRunning(Handle handle, UUID runId) {
    TaxonomyDao dao = new TaxonomyDao(handle);
    String tenantId = lockRunTenant(handle, dao, runId, "taxonomy_run.mark_running");
    return dao.markRunning(runId, tenantId)
        .orElseThrow(() -> illegalTransition(dao, runId, "running"));
  }

  /** pending|running → failed. */
  public TaxonomyRunData markFailed(UUID runId, String error, String errorCode) {
    return jdbi.inTransaction(
        handle -> {
          TaxonomyDao dao = new TaxonomyDao(handle);
          String tenantId = lockRunTenant(handle, dao, runId, "taxonomy_run.mark_failed");
          return dao.markFailed(runId, tenantId, error, errorCode)
              .orElseThrow(() -> illegalTransition(dao, runId, "failed"));
        });
  }

  /** Records that the compute service is still working on a pending or running run. */
  public void heartbeat(UUID runId) {
    jdbi.useTransaction(
        handle -> {
          TaxonomyDao dao = new TaxonomyDao(handle);
          String tenantId = lockRunTenant(handle, dao, runId, "taxonomy_run.heartbeat");
          if (!dao.heartbeat(runId, tenantId)) {
            throw illegalTransition(dao, runId, "running (heartbeat)");
          }
        });
  }

  /**
   * The reaper's write: fails the run when it is still in progress and its last heartbeat is still
   * older than {@code timeoutSeconds}, re-checked under the tenant lock.
   *
   * @return whether the run was failed
   * @throws org.feedbackhub.tenant.TenantWriteConflictException when the tenant is being purged
   */
  public boolean failIfStale(UUID runId, String tenantId, long timeoutSeconds) {
    return jdbi.inTransaction(
        handle -> {
          lock.lockShared(handle, tenantId, "taxonomy_run.fail_stale");
          return new TaxonomyDao(handle)
              .failIfStale(
                  runId,
                  tenantId,
                  timeoutSeconds,
                  "taxonomy run stopped sending heartbeats for " + timeoutSeconds + " s");
        });
  }

  /** Stores the result's clusters, memberships and nodes, then succeeds and activates the run. */
  public TaxonomyRunData storeResult(UUID runId, TaxonomyRequests.Result result) {
    validate(result);
    return jdbi.inTransaction(
        handle -> {
          TaxonomyDao dao = new TaxonomyDao(handle);
          String tenantId = lockRunTenant(handle, dao, runId, "taxonomy_run.store_result");
          TaxonomyRunData run = dao.lockRun(runId, tenantId).orElseThrow();
          if (!run.status().equals("pending") && !run.status().equals("running")) {
            throw illegalTransition(dao, runId, "succeeded");
          }
          List<TaxonomyRequests.Membership> memberships = list(result.memberships());
          checkRecordsOfTenant(dao, tenantId, memberships);
          Map<Integer, UUID> clusterIds = new HashMap<>();
          for (TaxonomyRequests.Cluster c : list(result.clusters())) {
            clusterIds.put(
                c.clusterKey(),
                dao.insertCluster(
                    runId,
                    c.clusterKey(),
                    c.label(),
                    c.llmLabel(),
                    c.keywords() == null ? "[]" : write(c.keywords()),
                    c.size() == null ? 0 : c.size(),
                    Boolean.TRUE.equals(c.isOutlier()),
                    c.metrics() == null ? "{}" : write(c.metrics())));
          }
          if (!memberships.isEmpty()) {
            PreparedBatch batch = dao.membershipBatch();
            for (TaxonomyRequests.Membership m : memberships) {
              batch
                  .bind("runId", runId)
                  .bind("tenantId", tenantId)
                  .bind("clusterId", clusterIds.get(m.clusterKey()))
                  .bind("recordId", UUID.fromString(m.feedbackRecordId()))
                  .bind("confidence", m.confidence())
                  .bind("distance", m.distance())
                  .bind("metadata", m.metadata() == null ? "{}" : write(m.metadata()))
                  .add();
            }
            batch.execute();
          }
          int nodes = insertNodes(dao, runId, list(result.nodes()), clusterIds);
          TaxonomyRunData succeeded =
              dao.markSucceeded(
                      runId,
                      tenantId,
                      result.metrics() == null ? "{}" : write(result.metrics()),
                      clusterIds.size(),
                      nodes)
                  .orElseThrow(() -> illegalTransition(dao, runId, "succeeded"));
          dao.activate(succeeded, "taxonomy-service");
          return succeeded;
        });
  }

  /** Inserts nodes parents first (the result's order need not be); returns how many. */
  private static int insertNodes(
      TaxonomyDao dao, UUID runId, List<TaxonomyRequests.Node> nodes, Map<Integer, UUID> clusters) {
    Map<String, UUID> ids = new HashMap<>();
    List<TaxonomyRequests.Node> pending = new ArrayList<>(nodes);
    while (!pending.isEmpty()) {
      List<TaxonomyRequests.Node> next = new ArrayList<>();
      for (TaxonomyRequests.Node n : pending) {
        if (n.parentKey() != null && !ids.containsKey(n.parentKey())) {
          next.add(n);
          continue;
        }
        ids.put(
            n.nodeKey(),
            dao.insertNode(
                runId,
                n.parentKey() == null ? null : ids.get(n.parentKey()),
                n.clusterKey() == null ? null : clusters.get(n.clusterKey()),
                n.nodeType(),
                n.label().strip(),
                n.description(),
                n.level(),
                n.sortOrder() == null ? 0 : n.sortOrder(),
                n.metadata() == null ? "{}" : write(n.metadata())));
      }
      if (next.size() == pending.size()) {
        throw ProblemException.validation("nodes", "must form a tree (parent_key cycle)");
      }
      pending = next;
    }
    return ids.size();
  }

  private static void checkRecordsOfTenant(
      TaxonomyDao dao, String tenantId, List<TaxonomyRequests.Membership> memberships) {
    if (memberships.isEmpty()) {
      return;
    }
    UUID[] ids =
        memberships.stream().map(m -> UUID.fromString(m.feedbackRecordId())).toArray(UUID[]::new);
    Set<UUID> known = new HashSet<>(dao.existingRecords(tenantId, ids));
    Validation v = new Validation();
    for (int i = 0; i < ids.length; i++) {
      if (!known.contains(ids[i])) {
        v.add(
            "memberships[" + i + "].feedback_record_id",
            "must be a feedback record of the run's tenant");
      }
    }
    v.throwIfInvalid();
  }

  /** Structural checks of a result before any lock is taken. */
  static void validate(TaxonomyRequests.Result result) {
    if (result == null) {
      throw ProblemException.badRequest("Invalid request body");
    }
    Validation v = new Validation();
    Set<Integer> clusterKeys = new HashSet<>();
    List<TaxonomyRequests.Cluster> clusters = list(result.clusters());
    for (int i = 0; i < clusters.size(); i++) {
      TaxonomyRequests.Cluster c = clusters.get(i);
      String at = "clusters[" + i + "]";
      if (c == null || c.clusterKey() == null) {
        v.add(at + ".cluster_key", Validation.REQUIRED);
        continue;
      }
      if (!clusterKeys.add(c.clusterKey())) {
        v.add(at + ".cluster_key", "must be unique");
      }
      if (c.size() != null && c.size() < 0) {
        v.add(at + ".size", "must be at least 0");
      }
      v.optionalText(at + ".label", c.label(), LABEL_MAX);
      v.optionalText(at + ".llm_label", c.llmLabel(), LABEL_MAX);
    }
    Set<String> recordIds = new HashSet<>();
    List<TaxonomyRequests.Membership> memberships = list(result.memberships());
    for (int i = 0; i < memberships.size(); i++) {
      TaxonomyRequests.Membership m = memberships.get(i);
      String at = "memberships[" + i + "]";
      if (m == null) {
        v.add(at, Validation.REQUIRED);
        continue;
      }
      if (m.clusterKey() == null) {
        v.add(at + ".cluster_key", Validation.REQUIRED);
      } else if (!clusterKeys.contains(m.clusterKey())) {
        v.add(at + ".cluster_key", "must name a cluster of the result");
      }
      if (v.uuid(at + ".feedback_record_id", m.feedbackRecordId()) != null
          && !recordIds.add(m.feedbackRecordId())) {
        v.add(at + ".feedback_record_id", "must be unique");
      }
      if (m.confidence() != null && (m.confidence() < 0 || m.confidence() > 1)) {
        v.add(at + ".confidence", m.confidence() < 0 ? "must be at least 0" : "must be at most 1");
      }
    }
    Set<String> nodeKeys = new HashSet<>();
    List<TaxonomyRequests.Node> nodes = list(result.nodes());
    for (TaxonomyRequests.Node n : nodes) {
      if (n != null && n.nodeKey() != null) {
        nodeKeys.add(n.nodeKey());
      }
    }
    int roots = 0;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < nodes.size(); i++) {
      TaxonomyRequests.Node n = nodes.get(i);
      String at = "nodes[" + i + "]";
      if (n == null) {
        v.add(at, Validation.REQUIRED);
        continue;
      }
      if (v.requiredText(at + ".node_key", n.nodeKey(), Validation.ID_MAX) != null
          && !seen.add(n.nodeKey())) {
        v.add(at + ".node_key", "must be unique");
      }
      v.oneOf(at + ".node_type", n.nodeType(), List.of("root", "branch", "leaf"), true);
      String label = v.requiredText(at + ".label", n.label(), LABEL_MAX);
      if (label != null && label.isBlank()) {
        v.add(at + ".label", "must not be blank");
      }
      if (n.level() == null) {
        v.add(at + ".level", Validation.REQUIRED);
      } else if (n.level() < 0) {
        v.add(at + ".level", "must be at least 0");
      }
      boolean root = "root".equals(n.nodeType());
      if (root) {
        roots++;
        if (n.parentKey() != null) {
          v.add(at + ".parent_key", "must be omitted for the root");
        }
        if (n.level() != null && n.level() != 0) {
          v.add(at + ".level", "must be 0 for the root");
        }
      } else if (n.nodeType() != null) {
        if (n.parentKey() == null) {
          v.add(at + ".parent_key", Validation.REQUIRED);
        } else if (!nodeKeys.contains(n.parentKey())) {
          v.add(at + ".parent_key", "must name a node of the result");
        }
        if (n.level() != null && n.level() == 0) {
          v.add(at + ".level", "must be at least 1");
        }
      }
      if (n.clusterKey() != null && !clusterKeys.contains(n.clusterKey())) {
        v.add(at + ".cluster_key", "must name a cluster of the result");
      }
    }
    if (!nodes.isEmpty() && roots != 1) {
      v.add("nodes", "must contain exactly one root");
    }
    v.throwIfInvalid();
  }

  private static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : values;
  }

  /** Finds the run's tenant and takes its shared write lock, in that order, before any row lock. */
  private String lockRunTenant(Handle handle, TaxonomyDao dao, UUID runId, String operation) {
    String tenantId =
        dao.findRunAnyTenant(runId)
            .map(TaxonomyRunData::tenantId)
            .orElseThrow(() -> ProblemException.notFound(RUN));
    lock.lockShared(handle, tenantId, operation);
    return tenantId;
  }

  /** The terminal conflict of a refused transition, its state read through the open handle. */
  private static ProblemException illegalTransition(TaxonomyDao dao, UUID runId, String target) {
    String status = dao.status(runId).orElse(null);
    if (status == null) {
      return ProblemException.notFound(RUN);
    }
    return ProblemException.conflict(
        "taxonomy run is " + status + "; cannot transition to " + target);
  }
}
