package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** A taxonomy run as the API returns it. */
public record TaxonomyRunData(
    UUID id,
    @JsonProperty("scope_type") String scopeType,
    @JsonProperty("tenant_id") String tenantId,
    @JsonProperty("source_type") String sourceType,
    @JsonProperty("source_id") String sourceId,
    @JsonProperty("field_id") String fieldId,
    @JsonProperty("field_label") String fieldLabel,
    String status,
    JsonNode params,
    JsonNode metrics,
    @JsonProperty("record_count") int recordCount,
    @JsonProperty("embedding_count") int embeddingCount,
    @JsonProperty("cluster_count") int clusterCount,
    @JsonProperty("node_count") int nodeCount,
    String error,
    @JsonProperty("error_code") String errorCode,
    @JsonProperty("started_at") Instant startedAt,
    @JsonProperty("finished_at") Instant finishedAt,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt) {}
