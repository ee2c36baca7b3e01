package org.feedbackhub.resources;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.BeanParam;
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
import java.util.UUID;
import java.util.function.BiFunction;
import org.feedbackhub.api.TaxonomyNodeData;
import org.feedbackhub.api.TaxonomyRequests;
import org.feedbackhub.api.TaxonomyResponses;
import org.feedbackhub.api.TaxonomyRunData;
import org.feedbackhub.api.Validation;
import org.feedbackhub.core.TaxonomyService;
import org.feedbackhub.db.TaxonomyDao.Scope;
import org.feedbackhub.http.RequestIds;

/** {@code /v1/taxonomy}: field options, runs, trees, record counts and node edits. */
@Path("/v1/taxonomy")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Taxonomy")
public class TaxonomyResource {
  static final int RUNS_DEFAULT_LIMIT = 20;
  static final int NODE_RECORDS_DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;
  static final int LABEL_MAX = 2048;

  private final TaxonomyService service;

  public TaxonomyResource(TaxonomyService service) {
    this.service = service;
  }

  @GET
  @Path("/fields")
  @Timed
  @ExceptionMetered
  @Operation(operationId = "list-taxonomy-fields", summary = "List fields a taxonomy can cover")
  public TaxonomyResponses.Fields fields(@QueryParam("tenant_id") String tenantId) {
    service.requireEmbeddings();
    Validation v = new Validation();
    String tenant = v.tenantId("tenant_id", tenantId);
    v.throwIfInvalid();
    return service.fields(tenant);
  }

  @GET
  @Path("/runs")
  @Timed
  @ExceptionMetered
  @Operation(operationId = "list-taxonomy-runs", summary = "List taxonomy runs of a tenant")
  public TaxonomyResponses.Runs listRuns(
      @BeanParam TaxonomyScopeParams filter, @QueryParam("limit") String limit) {
    service.requireEmbeddings();
    Validation v = new Validation();
    String tenant = filter.checkFilter(v);
    int pageSize = v.limit("limit", limit, RUNS_DEFAULT_LIMIT, 1, MAX_LIMIT);
    v.throwIfInvalid();
    return service.listRuns(
        tenant, filter.scopeType, filter.sourceType, filter.sourceId, filter.fieldId, pageSize);
  }

  @POST
  @Path("/runs")
  @Timed
  @ExceptionMetered
  @Operation(
      operationId = "create-taxonomy-run",
      summary = "Start a taxonomy run, or return the one in progress for the scope")
  public Response createRun(TaxonomyRequests.CreateRun body) {
    service.requireRunsAvailable();
    TaxonomyRequests.CreateRun request = RequestBodies.require(body);
    Validation v = new Validation();
    String tenant = v.tenantId("tenant_id", request.tenantId());
    Scope scope =
        TaxonomyScopeParams.scope(
            v,
            tenant,
            request.scopeType(),
            request.sourceType(),
            request.sourceId(),
            request.fieldId());
    v.optionalText("field_label", request.fieldLabel(), LABEL_MAX);
    v.optionalNonEmptyText("actor_id", request.actorId(), Validation.ID_MAX);
    v.throwIfInvalid();
    TaxonomyResponses.CreatedRun created =
        service.createRun(scope, request.fieldLabel(), request.actorId(), RequestIds.current(null));
    return Response.status(created.inProgress() ? 200 : 202).entity(created).build();
  }

  @GET
  @Path("/runs/active/tree")
  @Timed
  @ExceptionMetered
  @Operation(
      operationId = "get-active-taxonomy-tree",
      summary = "Get the active taxonomy run of a scope with its tree")
  public TaxonomyResponses.Tree activeTree(@BeanParam TaxonomyScopeParams params) {
    service.requireEmbeddings();
    Validation v = new Validation();
    Scope scope = params.toScope(v);
    v.throwIfInvalid();
    return service.activeTree(scope);
  }

  @GET
  @Path("/runs/{run_id}")
  @Timed
  @ExceptionMetered
  @Operation(operationId = "get-taxonomy-run", summary = "Get a taxonomy run")
  public TaxonomyRunData getRun(
      @PathParam("run_id") String runId, @QueryParam("tenant_id") String tenantId) {
    return onRun(runId, tenantId, service::getRun);
  }

  @GET
  @Path("/runs/{run_id}/tree")
  @Timed
  @ExceptionMetered
  @Operation(operationId = "get-taxonomy-run-tree", summary = "Get a taxonomy run's visible tree")
  public TaxonomyResponses.Tree runTree(
      @PathParam("run_id") String runId, @QueryParam("tenant_id") String tenantId) {
    return onRun(runId, tenantId, service::runTree);
  }

  @GET
  @Path("/runs/{run_id}/record-counts")
  @Timed
  @ExceptionMetered
  @Operation(
      operationId = "count-taxonomy-node-records",
      summary = "Count the records under each visible node of a run")
  public TaxonomyResponses.RecordCounts recordCounts(
      @PathParam("run_id") String runId, @QueryParam("tenant_id") String tenantId) {
    return onRun(runId, tenantId, service::recordCounts);
  }

  @PATCH
  @Path("/nodes/{node_id}")
  @Timed
  @ExceptionMetered
  @Operation(operationId = "rename-taxonomy-node", summary = "Rename a taxonomy node")
  public TaxonomyNodeData renameNode(
      @PathParam("node_id") String nodeId, TaxonomyRequests.RenameNode body) {
    service.requireEmbeddings();
    Validation v = new Validation();
    UUID id = v.uuid("node_id", nodeId);
    TaxonomyRequests.RenameNode request = RequestBodies.require(body);
    String tenant = v.tenantId("tenant_id", request.tenantId());
    String actor = actor(v, request.actorId());
    String label = v.requiredText("label", request.label(), LABEL_MAX);
    if (label != null && !label.isEmpty() && label.isBlank()) {
      v.add("label", "must be at least 1");
    }
    v.throwIfInvalid();
    return service.renameNode(id, tenant, actor, label.strip());
  }

  @DELETE
  @Path("/nodes/{node_id}")
  @Timed
  @ExceptionMetered
  @Operation(operationId = "remove-taxonomy-node", summary = "Soft-remove a taxonomy node")
  public TaxonomyNodeData removeNode(
      @PathParam("node_id") String nodeId,
      @QueryParam("tenant_id") String tenantId,
      @QueryParam("actor_id") String actorId) {
    service.requireEmbeddings();
    Validation v = new Validation();
    UUID id = v.uuid("node_id", nodeId);
    String tenant = v.tenantId("tenant_id", tenantId);
    String actor = actor(v, actorId);
    v.throwIfInvalid();
    return service.removeNode(id, tenant, actor);
  }

  @GET
  @Path("/nodes/{node_id}/records")
  @Timed
  @ExceptionMetered
  @Operation(
      operationId = "list-taxonomy-node-records",
      summary = "List the feedback records under a taxonomy node")
  public TaxonomyResponses.NodeRecords nodeRecords(
      @PathParam("node_id") String nodeId,
      @QueryParam("tenant_id") String tenantId,
      @QueryParam("limit") String limit) {
    service.requireEmbeddings();
    Validation v = new Validation();
    UUID id = v.uuid("node_id", nodeId);
    String tenant = v.tenantId("tenant_id", tenantId);
    int pageSize = v.limit("limit", limit, NODE_RECORDS_DEFAULT_LIMIT, 1, MAX_LIMIT);
    v.throwIfInvalid();
    return service.nodeRecords(id, tenant, pageSize);
  }

  /** Checks a run route's run id and tenant id, then answers with {@code route}. */
  private <T> T onRun(String runId, String tenantId, BiFunction<UUID, String, T> route) {
    service.requireEmbeddings();
    Validation v = new Validation();
    UUID id = v.uuid("run_id", runId);
    String tenant = v.tenantId("tenant_id", tenantId);
    v.throwIfInvalid();
    return route.apply(id, tenant);
  }

  /** A required actor id: non-blank, at most 255 characters. */
  private static String actor(Validation v, String actorId) {
    String actor = v.requiredText("actor_id", actorId, Validation.ID_MAX);
    if (actor != null && actor.isBlank() && !actor.isEmpty()) {
      v.add("actor_id", "must be at least 1");
    }
    return actor;
  }
}
