package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The 202 answer to a records-only purge request: accepted (new or joined), no counts; progress is
 * in the purge history and {@code GET /v1/feedback-records/count}.
 */
public record RecordsPurgeAcceptedResponse(
    @JsonProperty("tenant_id") String tenantId, String status, String message) {
  public static RecordsPurgeAcceptedResponse of(String tenantId) {
    return new RecordsPurgeAcceptedResponse(
        tenantId, "accepted", "Feedback records purge accepted for " + tenantId);
  }
}
