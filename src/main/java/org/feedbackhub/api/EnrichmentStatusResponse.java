package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** {@code GET /v1/enrichment-status}: per kind, whether it runs for the tenant and its counts. */
public record EnrichmentStatusResponse(
    @JsonProperty("tenant_id") String tenantId,
    @JsonProperty("as_of") Instant asOf,
    KindStatus translation,
    KindStatus sentiment,
    KindStatus emotions) {

  /**
   * One kind: {@code disabled_reason} is present exactly when {@code enabled} is false, and then
   * every count is 0.
   */
  public record KindStatus(
      boolean enabled,
      long eligible,
      long done,
      long failed,
      @JsonProperty("failed_terminal") long failedTerminal,
      @JsonProperty("disabled_reason") String disabledReason) {

    public static KindStatus disabled(String reason) {
      return new KindStatus(false, 0, 0, 0, 0, reason);
    }

    public static KindStatus enabled(long eligible, long done, long failed, long failedTerminal) {
      return new KindStatus(true, eligible, done, failed, failedTerminal, null);
    }
  }
}
