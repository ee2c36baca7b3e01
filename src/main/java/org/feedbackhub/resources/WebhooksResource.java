package org.feedbackhub.resources;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.feedbackhub.api.CreateWebhookRequest;
import org.feedbackhub.api.ListWebhooksResponse;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.api.UpdateWebhookRequest;
import org.feedbackhub.api.WebhookData;
import org.feedbackhub.api.WebhookPublicData;
import org.feedbackhub.core.WebhookService;

/** {@code /v1/webhooks}: create, read, list, update and delete webhook subscriptions. */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
public class WebhooksResource {
  private final WebhookService webhooks;

  public WebhooksResource(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  @GET
  @Timed
  @ExceptionMetered
  @Operation(operationId = "list-webhooks", summary = "List webhooks")
  public ListWebhooksResponse list(
      @QueryParam("tenant_id") String tenantId,
      @QueryParam("enabled") String enabled,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return webhooks.list(tenantId, enabled, limit, cursor);
  }

  @POST
  @Timed
  @ExceptionMetered
  @Operation(operationId = "create-webhook", summary = "Create a webhook")
  public Response create(CreateWebhookRequest request) {
    WebhookData created = webhooks.create(required(request));
    return Response.status(Response.Status.CREATED).entity(created).build();
  }

  @GET
  @Path("/{id}")
  @Timed
  @ExceptionMetered
  @Operation(operationId = "get-webhook", summary = "Get a webhook")
  public WebhookPublicData get(@PathParam("id") String id) {
    return webhooks.get(id);
  }

  @PATCH
  @Path("/{id}")
  @Timed
  @ExceptionMetered
  @Operation(operationId = "update-webhook", summary = "Update a webhook")
  public WebhookPublicData update(@PathParam("id") String id, UpdateWebhookRequest request) {
    return webhooks.update(id, required(request));
  }

  @DELETE
  @Path("/{id}")
  @Timed
  @ExceptionMetered
  @Operation(operationId = "delete-webhook", summary = "Delete a webhook")
  public Response delete(@PathParam("id") String id) {
    webhooks.delete(id);
    return Response.noContent().build();
  }

  private static <T> T required(T body) {
    if (body == null) {
      throw ProblemException.badRequest("Invalid request body");
    }
    return body;
  }
}
