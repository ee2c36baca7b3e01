package org.feedbackhub.resources;

import jakarta.ws.rs.QueryParam;
import org.feedbackhub.api.FeedbackRecordFilter;
import org.feedbackhub.api.FieldTypes;
import org.feedbackhub.api.Validation;

/**
 * The query parameters shared by list and count of feedback records. The fields are public because
 * the OpenAPI reader documents only visible bean parameters.
 */
public class FeedbackRecordFilterParams {
  @QueryParam("tenant_id")
  public String tenantId;

  @QueryParam("submission_id")
  public String submissionId;

  @QueryParam("source_type")
  public String sourceType;

  @QueryParam("source_id")
  public String sourceId;

  @QueryParam("field_id")
  public String fieldId;

  @QueryParam("field_group_id")
  public String fieldGroupId;

  @QueryParam("user_id")
  public String userId;

  @QueryParam("field_type")
  public String fieldType;

  @QueryParam("value_id")
  public String valueId;

  @QueryParam("since")
  public String since;

  @QueryParam("until")
  public String until;

  /** The filter, with every rule violation added to {@code v}. */
  FeedbackRecordFilter toFilter(Validation v) {
    String tenant = v.tenantId("tenant_id", tenantId);
    v.optionalText("submission_id", submissionId, Validation.ID_MAX);
    v.optionalText("source_type", sourceType, Validation.ID_MAX);
    v.optionalText("source_id", sourceId, Validation.ID_MAX);
    v.optionalText("field_id", fieldId, Validation.ID_MAX);
    v.optionalText("field_group_id", fieldGroupId, Validation.ID_MAX);
    v.optionalText("user_id", userId, Validation.ID_MAX);
    v.oneOf("field_type", fieldType, FieldTypes.ALL, false);
    v.optionalText("value_id", valueId, Validation.ID_MAX);
    return new FeedbackRecordFilter(
        tenant,
        submissionId,
        sourceType,
        sourceId,
        fieldId,
        fieldGroupId,
        userId,
        fieldType,
        valueId,
        v.timestamp("since", since),
        v.timestamp("until", until));
  }
}
