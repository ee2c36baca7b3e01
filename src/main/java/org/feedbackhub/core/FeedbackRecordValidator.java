package org.feedbackhub.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.feedbackhub.api.CreateFeedbackRecordRequest;
import org.feedbackhub.api.FieldTypes;
import org.feedbackhub.api.UpdateFeedbackRecordRequest;
import org.feedbackhub.api.Validation;
import org.feedbackhub.db.FeedbackRecordChange;
import org.feedbackhub.db.NewFeedbackRecord;

/** The field rules of feedback record bodies (spec 2.1), turning valid bodies into DB values. */
final class FeedbackRecordValidator {
  static final int LABEL_MAX = 2048;
  static final int VALUE_TEXT_MAX = 30000;
  static final int LANGUAGE_MAX = 10;

  private static final ObjectMapper JSON = new ObjectMapper();

  private FeedbackRecordValidator() {}

  /**
   * @throws org.feedbackhub.api.ProblemException a {@code validation} problem listing every error
   */
  static NewFeedbackRecord validate(CreateFeedbackRecordRequest r) {
    Validation v = new Validation();
    String sourceType = v.requiredText("source_type", r.sourceType(), Validation.ID_MAX);
    String fieldId = v.requiredText("field_id", r.fieldId(), Validation.ID_MAX);
    String fieldType = v.oneOf("field_type", r.fieldType(), FieldTypes.ALL, true);
    String submissionId = v.requiredText("submission_id", r.submissionId(), Validation.ID_MAX);
    String tenantId = v.tenantId("tenant_id", r.tenantId());
    Instant collectedAt = v.timestamp("collected_at", r.collectedAt());
    v.optionalText("source_id", r.sourceId(), Validation.ID_MAX);
    v.optionalText("source_name", r.sourceName(), Validation.ID_MAX);
    v.optionalText("field_label", r.fieldLabel(), LABEL_MAX);
    v.optionalText("field_group_id", r.fieldGroupId(), Validation.ID_MAX);
    v.optionalText("field_group_label", r.fieldGroupLabel(), LABEL_MAX);
    v.optionalText("value_text", r.valueText(), VALUE_TEXT_MAX);
    v.optionalText("value_id", r.valueId(), Validation.ID_MAX);
    v.number("value_number", r.valueNumber());
    Instant valueDate = v.timestamp("value_date", r.valueDate());
    v.noNulInJson("metadata", r.metadata());
    v.storableNumbersInJson("metadata", r.metadata());
    v.optionalText("language", r.language(), LANGUAGE_MAX);
    v.optionalText("user_id", r.userId(), Validation.ID_MAX);
    v.throwIfInvalid();
    return new NewFeedbackRecord(
        utc(collectedAt),
        sourceType,
        r.sourceId(),
        r.sourceName(),
        fieldId,
        r.fieldLabel(),
        fieldType,
        r.fieldGroupId(),
        r.fieldGroupLabel(),
        r.valueText(),
        r.valueId(),
        r.valueNumber(),
        r.valueBoolean(),
        utc(valueDate),
        json(r.metadata()),
        r.language(),
        r.userId(),
        tenantId,
        submissionId);
  }

  /**
   * @throws org.feedbackhub.api.ProblemException a {@code validation} problem listing every error
   */
  static FeedbackRecordChange validate(UpdateFeedbackRecordRequest r) {
    Validation v = new Validation();
    v.optionalText("value_text", r.valueText(), VALUE_TEXT_MAX);
    v.optionalText("value_id", r.valueId(), Validation.ID_MAX);
    v.number("value_number", r.valueNumber());
    Instant valueDate = v.timestamp("value_date", r.valueDate());
    v.noNulInJson("metadata", r.metadata());
    v.storableNumbersInJson("metadata", r.metadata());
    v.optionalText("language", r.language(), LANGUAGE_MAX);
    v.optionalText("user_id", r.userId(), Validation.ID_MAX);
    v.throwIfInvalid();
    return new FeedbackRecordChange(
        r.valueText(),
        r.valueId(),
        r.valueNumber(),
        r.valueBoolean(),
        utc(valueDate),
        json(r.metadata()),
        r.language(),
        r.userId());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static String json(Map<String, Object> value) {
    if (value == null) {
      return null;
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON object always serialises", e);
    }
  }
}
