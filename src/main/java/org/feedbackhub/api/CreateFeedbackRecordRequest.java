package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The body of {@code POST /v1/feedback-records}. Dates stay strings here so that a bad one gets the
 * wire's own reason rather than a parser message.
 */
public record CreateFeedbackRecordRequest(
    @JsonProperty("source_type") String sourceType,
    @JsonProperty("source_id") String sourceId,
    @JsonProperty("source_name") String sourceName,
    @JsonProperty("field_id") String fieldId,
    @JsonProperty("field_label") String fieldLabel,
    @JsonProperty("field_type") String fieldType,
    @JsonProperty("field_group_id") String fieldGroupId,
    @JsonProperty("field_group_label") String fieldGroupLabel,
    @JsonProperty("submission_id") String submissionId,
    @JsonProperty("tenant_id") String tenantId,
    @JsonProperty("collected_at") String collectedAt,
    @JsonProperty("value_text") String valueText,
    @JsonProperty("value_id") String valueId,
    @JsonProperty("value_number") Double valueNumber,
    @JsonProperty("value_boolean") Boolean valueBoolean,
    @JsonProperty("value_date") String valueDate,
    Map<String, Object> metadata,
    String language,
    @JsonProperty("user_id") String userId) {}
