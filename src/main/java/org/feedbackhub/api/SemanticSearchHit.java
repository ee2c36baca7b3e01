package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/** One ranked record: its cosine similarity to the query and what it says. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SemanticSearchHit(
    @JsonProperty("feedback_record_id") UUID feedbackRecordId,
    @JsonProperty("score") double score,
    @JsonProperty("field_label") String fieldLabel,
    @JsonProperty("value_text") String valueText) {}
