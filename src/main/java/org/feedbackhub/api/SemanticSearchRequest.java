package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code POST /v1/feedback-records/search/semantic}; both fields are required. */
public record SemanticSearchRequest(
    @JsonProperty("query") String query, @JsonProperty("tenant_id") String tenantId) {}
