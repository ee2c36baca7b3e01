package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code PATCH /v1/feedback-records/{id}}: every field optional, a null field is left
 * unchanged; {@code tenant_id}, {@code field_*} and {@code source_*} cannot be changed.
 */
public record UpdateFeedbackRecordRequest(
    @JsonProperty("value_text") String valueText,
    @JsonProperty("value_id") String valueId,
    @JsonProperty("value_number") Double valueNumber,
    @JsonProperty("value_boolean") Boolean valueBoolean,
    @JsonProperty("value_date") String valueDate,
    Map<String, Object> metadata,
    String language,
    @JsonProperty("user_id") String userId) {

  /** The wire names of the fields this request sets, in a stable order. */
  @JsonIgnore
  public List<String> changedFields() {
    List<String> fields = new ArrayList<>();
    addIf(fields, valueText, "value_text");
    addIf(fields, valueId, "value_id");
    addIf(fields, valueNumber, "value_number");
    addIf(fields, valueBoolean, "value_boolean");
    addIf(fields, valueDate, "value_date");
    addIf(fields, metadata, "metadata");
    addIf(fields, language, "language");
    addIf(fields, userId, "user_id");
    return fields;
  }

  private static void addIf(List<String> fields, Object value, String name) {
    if (value != null) {
      fields.add(name);
    }
  }
}
