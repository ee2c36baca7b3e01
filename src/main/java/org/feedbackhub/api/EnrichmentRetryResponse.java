package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST /v1/tenants/{tenant_id}/enrichments/retry}: one result per kind asked for. */
public record EnrichmentRetryResponse(
    @JsonProperty("tenant_id") String tenantId, List<Result> results) {

  /**
   * One kind: {@code cleared} (terminal markers deleted, possibly 0), {@code cooling_down} with
   * {@code retry_after_seconds}, or {@code disabled} with the status's {@code disabled_reason}.
   */
  public record Result(
      String enrichment,
      String outcome,
      long cleared,
      @JsonProperty("retry_after_seconds") Long retryAfterSeconds,
      @JsonProperty("disabled_reason") String disabledReason) {

    public static Result cleared(String enrichment, long cleared) {
      return new Result(enrichment, "cleared", cleared, null, null);
    }

    public static Result coolingDown(String enrichment, long retryAfterSeconds) {
      return new Result(enrichment, "cooling_down", 0, retryAfterSeconds, null);
    }

    public static Result disabled(String enrichment, String reason) {
      return new Result(enrichment, "disabled", 0, null, reason);
    }
  }
}
