package org.feedbackhub.resources;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.feedbackhub.api.EnrichmentStatusResponse;
import org.feedbackhub.core.EnrichmentStatusService;

/** {@code GET /v1/enrichment-status}: a tenant's enrichment progress, counts only. */
@Path("/v1/enrichment-status")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Enrichment")
public class EnrichmentStatusResource {
  private final EnrichmentStatusService status;

  public EnrichmentStatusResource(EnrichmentStatusService status) {
    this.status = status;
  }

  @GET
  @Timed
  @ExceptionMetered
  @Operation(operationId = "get-enrichment-status", summary = "A tenant's enrichment progress")
  public EnrichmentStatusResponse get(@QueryParam("tenant_id") String tenantId) {
    return status.status(tenantId);
  }
}
