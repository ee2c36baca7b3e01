package org.feedbackhub.resources;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.feedbackhub.api.SemanticSearchRequest;
import org.feedbackhub.api.SemanticSearchResponse;
import org.feedbackhub.api.SimilarityPage;
import org.feedbackhub.api.Validation;
import org.feedbackhub.core.SemanticSearchService;

/** {@code /v1/feedback-records/search/semantic} and {@code /v1/feedback-records/{id}/similar}. */
@Path("/v1/feedback-records")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Feedback Records")
public class SemanticSearchResource {
  private final SemanticSearchService service;

  public SemanticSearchResource(SemanticSearchService service) {
    this.service = service;
  }

  @POST
  @Path("/search/semantic")
  @Timed
  @ExceptionMetered
  @Operation(
      operationId = "semantic-search-feedback-records",
      summary = "Rank a tenant's feedback records by meaning")
  public SemanticSearchResponse search(
      SemanticSearchRequest body,
      @QueryParam("limit") String limit,
      @QueryParam("min_score") String minScore,
      @QueryParam("cursor") String cursor) {
    SemanticSearchRequest request = RequestBodies.require(body);
    SimilarityPage page = SimilarityPage.parse(limit, minScore, cursor);
    return service.search(request.query(), request.tenantId(), page);
  }

  @GET
  @Path("/{id}/similar")
  @Timed
  @ExceptionMetered
  @Operation(
      operationId = "similar-feedback-records",
      summary = "Nearest neighbours of a feedback record in its tenant")
  public SemanticSearchResponse similar(
      @PathParam("id") String id,
      @QueryParam("limit") String limit,
      @QueryParam("min_score") String minScore,
      @QueryParam("cursor") String cursor) {
    Validation v = new Validation();
    UUID recordId = v.uuid("id", id);
    v.throwIfInvalid();
    return service.similar(recordId, SimilarityPage.parse(limit, minScore, cursor));
  }
}
