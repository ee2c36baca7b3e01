package org.feedbackhub.resources;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.feedbackhub.api.TaxonomyRequests;
import org.feedbackhub.api.TaxonomyResponses;
import org.feedbackhub.api.TaxonomyRunData;
import org.feedbackhub.api.Validation;
import org.feedbackhub.core.TaxonomyRunLifecycle;
import org.feedbackhub.http.BodyLimit;
import org.feedbackhub.http.InternalApi;

/**
 * {@code /internal/v1/taxonomy}: the compute service's side of a run. Mounted only when {@code
 * HUB_INTERNAL_API_TOKEN} is set, guarded by that token, and left out of the OpenAPI document.
 */
@Hidden
@InternalApi
@Path("/internal/v1/taxonomy")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalTaxonomyResource {
  private final TaxonomyRunLifecycle runs;

  public InternalTaxonomyResource(TaxonomyRunLifecycle runs) {
    this.runs = runs;
  }

  @GET
  @Path("/auth-check")
  public TaxonomyResponses.Status authCheck() {
    return new TaxonomyResponses.Status("ok", "hub-taxonomy-internal");
  }

  @GET
  @Path("/runs/{run_id}/input")
  public TaxonomyResponses.RunInput input(@PathParam("run_id") String runId) {
    return runs.input(runId(runId));
  }

  @PUT
  @Path("/runs/{run_id}/result")
  @BodyLimit(BodyLimit.TAXONOMY_RESULT)
  public TaxonomyRunData result(@PathParam("run_id") String runId, TaxonomyRequests.Result body) {
    UUID id = runId(runId);
    return runs.storeResult(id, RequestBodies.require(body));
  }

  @POST
  @Path("/runs/{run_id}/failed")
  public TaxonomyRunData failed(@PathParam("run_id") String runId, TaxonomyRequests.Failed body) {
    UUID id = runId(runId);
    TaxonomyRequests.Failed request = RequestBodies.require(body);
    Validation v = new Validation();
    v.requiredText("error", request.error(), 2000);
    v.oneOf("error_code", request.errorCode(), TaxonomyRunLifecycle.ERROR_CODES, false);
    v.throwIfInvalid();
    return runs.markFailed(id, request.error(), request.errorCode());
  }

  @POST
  @Path("/runs/{run_id}/heartbeat")
  public TaxonomyResponses.Status heartbeat(@PathParam("run_id") String runId) {
    runs.heartbeat(runId(runId));
    return new TaxonomyResponses.Status("ok");
  }

  private static UUID runId(String raw) {
    Validation v = new Validation();
    UUID id = v.uuid("run_id", raw);
    v.throwIfInvalid();
    return id;
  }
}
