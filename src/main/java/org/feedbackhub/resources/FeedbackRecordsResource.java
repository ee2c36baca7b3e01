package org.feedbackhub.resources;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
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
import org.feedbackhub.api.CountResponse;
import org.feedbackhub.api.CreateFeedbackRecordRequest;
import org.feedbackhub.api.DeleteFeedbackRecordsByUserResponse;
import org.feedbackhub.api.FeedbackRecordData;
import org.feedbackhub.api.FeedbackRecordFilter;
import org.feedbackhub.api.FeedbackRecordOrder;
import org.feedbackhub.api.KeysetCursor;
import org.feedbackhub.api.ListFeedbackRecordsResponse;
import org.feedbackhub.api.UpdateFeedbackRecordRequest;
import org.feedbackhub.api.Validation;
import org.feedbackhub.core.FeedbackRecordService;
import org.feedbackhub.http.BodyLimit;

/** {@code /v1/feedback-records}: create, read, list, count, update, delete and erase by user. */
@Path("/v1/feedback-records")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Feedback Records")
public class FeedbackRecordsResource {
  private static final int LIST_DEFAULT_LIMIT = 100;
  private static final int LIST_MAX_LIMIT = 1000;

  private final FeedbackRecordService service;

  public FeedbackRecordsResource(FeedbackRecordService service) {
    this.service = service;
  }

  @GET
  @Timed
  @ExceptionMetered
  @Operation(operationId = "list-feedback-records", summary = "List feedback records of a tenant")
  public ListFeedbackRecordsResponse list(
      @BeanParam FeedbackRecordFilterParams params,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor,
      @QueryParam("sort")
          @Parameter(
              description = "the column to order by; ties are ordered by id ascending",
              schema =
                  @Schema(
                      allowableValues = {"collected_at", "created_at"},
                      defaultValue = "collected_at"))
          String sort,
      @QueryParam("order")
          @Parameter(
              schema =
                  @Schema(
                      allowableValues = {"desc", "asc"},
                      defaultValue = "desc"))
          String order) {
    Validation v = new Validation();
    FeedbackRecordFilter filter = params.toFilter(v);
    int pageSize = v.limit("limit", limit, LIST_DEFAULT_LIMIT, 1, LIST_MAX_LIMIT);
    FeedbackRecordOrder ordering = ordering(v, sort, order);
    v.throwIfInvalid();
    KeysetCursor after =
        KeysetCursor.decode(cursor, ordering.sort(), ordering.order(), ordering.isDefault());
    return service.list(filter, ordering, after, pageSize);
  }

  private static FeedbackRecordOrder ordering(Validation v, String sort, String order) {
    FilterValues values = new FilterValues(v);
    return new FeedbackRecordOrder(
        values.choice("sort", sort, FeedbackRecordOrder.SORTS, FeedbackRecordOrder.COLLECTED_AT),
        values.choice("order", order, FeedbackRecordOrder.ORDERS, FeedbackRecordOrder.DESC));
  }

  @GET
  @Path("/count")
  @Timed
  @ExceptionMetered
  @Operation(
      operationId = "count-feedback-records",
      summary = "Count feedback records of a tenant",
      description =
          "Takes the list filters; limit, cursor, sort and order are ignored, like any other"
              + " parameter count does not know.")
  public CountResponse count(@BeanParam FeedbackRecordFilterParams params) {
    Validation v = new Validation();
    FeedbackRecordFilter filter = params.toFilter(v);
    v.throwIfInvalid();
    return new CountResponse(service.count(filter));
  }

  @POST
  @Timed
  @ExceptionMetered
  @BodyLimit(BodyLimit.FEEDBACK_RECORD)
  @Operation(operationId = "create-feedback-record", summary = "Create a feedback record")
  public Response create(CreateFeedbackRecordRequest body) {
    FeedbackRecordData created = service.create(RequestBodies.require(body));
    return Response.status(Response.Status.CREATED).entity(created).build();
  }

  @DELETE
  @Timed
  @ExceptionMetered
  @Operation(
      operationId = "delete-feedback-records-by-user",
      summary = "Erase a user's feedback records (GDPR Art. 17)")
  public DeleteFeedbackRecordsByUserResponse deleteByUser(
      @QueryParam("user_id") String userId, @QueryParam("tenant_id") String tenantId) {
    Validation v = new Validation();
    v.requiredText("user_id", userId, Validation.ID_MAX);
    String tenant = v.optionalTenantId("tenant_id", tenantId);
    v.throwIfInvalid();
    return service.deleteByUser(userId, tenant);
  }

  @GET
  @Path("/{id}")
  @Timed
  @ExceptionMetered
  @Operation(operationId = "get-feedback-record", summary = "Get a feedback record")
  public FeedbackRecordData get(@PathParam("id") String id) {
    return service.get(recordId(id));
  }

  @PATCH
  @Path("/{id}")
  @Timed
  @ExceptionMetered
  @BodyLimit(BodyLimit.FEEDBACK_RECORD)
  @Operation(operationId = "update-feedback-record", summary = "Update a feedback record")
  public FeedbackRecordData update(@PathParam("id") String id, UpdateFeedbackRecordRequest body) {
    UUID recordId = recordId(id);
    return service.update(recordId, RequestBodies.require(body));
  }

  @DELETE
  @Path("/{id}")
  @Timed
  @ExceptionMetered
  @Operation(operationId = "delete-feedback-record", summary = "Delete a feedback record")
  public Response delete(@PathParam("id") String id) {
    service.delete(recordId(id));
    return Response.noContent().build();
  }

  private static UUID recordId(String raw) {
    Validation v = new Validation();
    UUID id = v.uuid("id", raw);
    v.throwIfInvalid();
    return id;
  }
}
