package org.feedbackhub.resources;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.feedbackhub.api.EnrichmentRetryResponse;
import org.feedbackhub.core.EnrichmentRetryService;
import org.feedbackhub.http.BodyLimit;

/**
 * {@code POST /v1/tenants/{tenant_id}/enrichments/retry}: clears a tenant's terminal enrichment
 * failures so the reconcile sweep tries them again.
 *
 * @implNote The body is taken as text and parsed by the service, after its first check (the sweep
 *     switched off answers 409 whatever the body); any content type is accepted, as an absent body
 *     is valid.
 */
@Path("/v1/tenants/{tenant_id}/enrichments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Enrichment")
public class EnrichmentRetryResource {
  /** 4 KiB: the largest retry body. */
  static final long BODY_LIMIT = 4 * 1024;

  private final EnrichmentRetryService retry;

  public EnrichmentRetryResource(EnrichmentRetryService retry) {
    this.retry = retry;
  }

  @POST
  @Path("/retry")
  @Timed
  @ExceptionMetered
  @BodyLimit(BODY_LIMIT)
  @Operation(
      operationId = "retry-enrichments",
      summary = "Retry a tenant's terminally failed enrichments",
      responses =
          @ApiResponse(
              responseCode = "202",
              description = "Accepted",
              content = @Content(schema = @Schema(implementation = EnrichmentRetryResponse.class))))
  public Response retry(@PathParam("tenant_id") String tenantId, String body) {
    return Response.status(Response.Status.ACCEPTED).entity(retry.retry(tenantId, body)).build();
  }
}
