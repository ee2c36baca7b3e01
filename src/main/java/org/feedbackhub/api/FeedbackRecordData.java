package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A feedback record as the API returns it; the embedding vector is never part of it. */
public record FeedbackRecordData(
    UUID id,
    @JsonProperty("collected_at") Instant collectedAt,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt,
    @JsonProperty("source_type") String sourceType,
    @JsonProperty("source_id") String sourceId,
    @JsonProperty("source_name") String sourceName,
    @JsonProperty("field_id") String fieldId,
    @JsonProperty("field_label") String fieldLabel,
    @JsonProperty("field_type") String fieldType,
    @JsonProperty("field_group_id") String fieldGroupId,
    @JsonProperty("field_group_label") String fieldGroupLabel,
    @JsonProperty("value_text") String valueText,
    @JsonProperty("value_id") String valueId,
    @JsonProperty("value_number") Double valueNumber,
    @JsonProperty("value_boolean") Boolean valueBoolean,
    @JsonProperty("value_date") Instant valueDate,
    JsonNode metadata,
    String language,
    @JsonProperty("user_id") String userId,
    @JsonProperty("tenant_id") String tenantId,
    @JsonProperty("submission_id") String submissionId,
    @JsonProperty("value_text_translated") String valueTextTranslated,
    @JsonProperty("translation_lang_key") String translationLangKey,
    String sentiment,
    @JsonProperty("sentiment_score") Double sentimentScore,
    List<String> emotions) {}
