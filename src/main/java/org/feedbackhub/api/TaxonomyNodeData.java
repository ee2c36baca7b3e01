package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A taxonomy node; {@code children} is set only in trees. */
public record TaxonomyNodeData(
    UUID id,
    @JsonProperty("run_id") UUID runId,
    @JsonProperty("parent_id") UUID parentId,
    @JsonProperty("cluster_id") UUID clusterId,
    @JsonProperty("node_type") String nodeType,
    String label,
    @JsonProperty("original_label") String originalLabel,
    String description,
    int level,
    @JsonProperty("sort_order") int sortOrder,
    JsonNode metadata,
    @JsonProperty("removed_at") Instant removedAt,
    @JsonProperty("removed_by") String removedBy,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt,
    List<TaxonomyNodeData> children) {

  /** This node with {@code children} set. */
  public TaxonomyNodeData withChildren(List<TaxonomyNodeData> children) {
    return new TaxonomyNodeData(
        id,
        runId,
        parentId,
        clusterId,
        nodeType,
        label,
        originalLabel,
        description,
        level,
        sortOrder,
        metadata,
        removedAt,
        removedBy,
        createdAt,
        updatedAt,
        children);
  }
}
