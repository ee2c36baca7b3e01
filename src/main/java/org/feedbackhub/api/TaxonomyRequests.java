package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The request bodies of the taxonomy API, public and internal. */
public final class TaxonomyRequests {
  private TaxonomyRequests() {}

  /** {@code POST /v1/taxonomy/runs}. */
  public record CreateRun(
      @JsonProperty("tenant_id") String tenantId,
      @JsonProperty("scope_type") String scopeType,
      @JsonProperty("source_type") String sourceType,
      @JsonProperty("source_id") String sourceId,
      @JsonProperty("field_id") String fieldId,
      @JsonProperty("field_label") String fieldLabel,
      @JsonProperty("actor_id") String actorId) {}

  /** {@code PATCH /v1/taxonomy/nodes/{id}}. */
  public record RenameNode(
      @JsonProperty("tenant_id") String tenantId,
      @JsonProperty("actor_id") String actorId,
      String label) {}

  /** Internal: {@code POST /internal/v1/taxonomy/runs/{id}/failed}. */
  public record Failed(String error, @JsonProperty("error_code") String errorCode) {}

  /** Internal: {@code PUT /internal/v1/taxonomy/runs/{id}/result}. */
  public record Result(
      JsonNode metrics, List<Cluster> clusters, List<Membership> memberships, List<Node> nodes) {}

  /** One cluster of a result. */
  public record Cluster(
      @JsonProperty("cluster_key") Integer clusterKey,
      String label,
      @JsonProperty("llm_label") String llmLabel,
      JsonNode keywords,
      Integer size,
      @JsonProperty("is_outlier") Boolean isOutlier,
      JsonNode metrics) {}

  /** One record's membership of a cluster. */
  public record Membership(
      @JsonProperty("cluster_key") Integer clusterKey,
      @JsonProperty("feedback_record_id") String feedbackRecordId,
      Double confidence,
      Double distance,
      JsonNode metadata) {}

  /** One node of the result's tree; parents are named by key. */
  public record Node(
      @JsonProperty("node_key") String nodeKey,
      @JsonProperty("parent_key") String parentKey,
      @JsonProperty("cluster_key") Integer clusterKey,
      @JsonProperty("node_type") String nodeType,
      String label,
      String description,
      Integer level,
      @JsonProperty("sort_order") Integer sortOrder,
      JsonNode metadata) {}
}
