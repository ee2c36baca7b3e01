package org.feedbackhub.resources;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.api.TenantDataDeleteResponse;
import org.feedbackhub.api.TenantSettingsResponse;
import org.feedbackhub.core.TenantPurgeService;
import org.feedbackhub.core.TenantSettingsService;
import org.feedbackhub.http.BodyLimit;

/** {@code /v1/tenants/{tenant_id}}: the tenant data purge and tenant settings. */
@Path("/v1/tenants/{tenant_id}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants")
public class TenantsResource {
  /** RFC 7396's media type, accepted next to plain JSON for PATCH. */
  public static final String MERGE_PATCH_JSON = "application/merge-patch+json";

  private final TenantPurgeService purge;
  private final TenantSettingsService settings;

  public TenantsResource(TenantPurgeService purge, TenantSettingsService settings) {
    this.purge = purge;
    this.settings = settings;
  }

  @DELETE
  @Path("/data")
  @Timed
  @ExceptionMetered
  @Operation(operationId = "delete-tenant-data", summary = "Purge all data of a tenant")
  public TenantDataDeleteResponse deleteData(@PathParam("tenant_id") String tenantId) {
    return purge.purge(tenantId, TenantPurgeService.Origin.API);
  }

  @GET
  @Path("/settings")
  @Timed
  @ExceptionMetered
  @Operation(operationId = "get-tenant-settings", summary = "Get a tenant's settings")
  public TenantSettingsResponse getSettings(@PathParam("tenant_id") String tenantId) {
    return settings.get(tenantId);
  }

  @PUT
  @Path("/settings")
  @Consumes(MediaType.APPLICATION_JSON)
  @Timed
  @ExceptionMetered
  @BodyLimit(BodyLimit.TENANT_SETTINGS)
  @Operation(operationId = "update-tenant-settings", summary = "Replace a tenant's settings")
  public TenantSettingsResponse putSettings(
      @PathParam("tenant_id") String tenantId, JsonNode body) {
    return settings.replace(tenantId, object(body));
  }

  @PATCH
  @Path("/settings")
  @Consumes({MERGE_PATCH_JSON, MediaType.APPLICATION_JSON})
  @Timed
  @ExceptionMetered
  @BodyLimit(BodyLimit.TENANT_SETTINGS)
  @Operation(operationId = "patch-tenant-settings", summary = "Merge-patch a tenant's settings")
  public TenantSettingsResponse patchSettings(
      @PathParam("tenant_id") String tenantId, JsonNode body) {
    return settings.patch(tenantId, object(body));
  }

  private static ObjectNode object(JsonNode body) {
    if (body == null || body.isNull() || body.isMissingNode()) {
      throw ProblemException.badRequest("Invalid request body");
    }
    if (!body.isObject()) {
      throw ProblemException.badRequest("Invalid request body: expected a JSON object");
    }
    return (ObjectNode) body;
  }
}
