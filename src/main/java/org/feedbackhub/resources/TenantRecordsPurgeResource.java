package org.feedbackhub.resources;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.feedbackhub.api.RecordsPurgeAcceptedResponse;
import org.feedbackhub.core.RecordsPurgeService;
import org.feedbackhub.core.TenantPurgeService;

/**
 * {@code DELETE /v1/tenants/{tenant_id}/feedback-records}: accepts a records-only purge that runs
 * in the background, or joins the tenant's purge already accepted or running. Takes no tenant lock,
 * so it never answers 409.
 */
@Path("/v1/tenants/{tenant_id}/feedback-records")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants")
public class TenantRecordsPurgeResource {
  private final RecordsPurgeService purges;

  public TenantRecordsPurgeResource(RecordsPurgeService purges) {
    this.purges = purges;
  }

  @DELETE
  @Timed
  @ExceptionMetered
  @Operation(
      operationId = "delete-tenant-feedback-records",
      summary = "Purge a tenant's feedback records in the background (keeps webhooks, settings)",
      responses =
          @ApiResponse(
              responseCode = "202",
              description = "Accepted",
              content =
                  @Content(schema = @Schema(implementation = RecordsPurgeAcceptedResponse.class))))
  public Response purgeRecords(@PathParam("tenant_id") String tenantId) {
    RecordsPurgeService.Accepted accepted = purges.accept(tenantId, TenantPurgeService.Origin.API);
    return Response.accepted(RecordsPurgeAcceptedResponse.of(accepted.tenantId())).build();
  }
}
