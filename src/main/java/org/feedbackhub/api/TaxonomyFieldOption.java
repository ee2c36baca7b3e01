package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A field (or the no-source bucket of one) a taxonomy run can be built for. */
public record TaxonomyFieldOption(
    @JsonProperty("tenant_id") String tenantId,
    @JsonProperty("source_type") String sourceType,
    @JsonProperty("source_id") String sourceId,
    @JsonProperty("source_name") String sourceName,
    @JsonProperty("field_id") String fieldId,
    @JsonProperty("field_label") String fieldLabel,
    @JsonProperty("record_count") long recordCount,
    @JsonProperty("embedding_count") long embeddingCount) {}
