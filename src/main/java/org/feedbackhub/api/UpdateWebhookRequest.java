package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code PATCH /v1/webhooks/{id}}: every field optional; {@code tenant_id} moves the
 * webhook to another tenant, an empty {@code event_types} clears the filter.
 */
public record UpdateWebhookRequest(
    @JsonProperty("url") String url,
    @JsonProperty("signing_key") String signingKey,
    @JsonProperty("enabled") Boolean enabled,
    @JsonProperty("tenant_id") String tenantId,
    @JsonProperty("event_types") List<String> eventTypes) {

  /**
   * The wire names of the fields this request sets, in a fixed order (the event's changed_fields).
   */
  @JsonIgnore
  public List<String> changedFields() {
    List<String> fields = new ArrayList<>();
    if (url != null) {
      fields.add("url");
    }
    if (signingKey != null) {
      fields.add("signing_key");
    }
    if (enabled != null) {
      fields.add("enabled");
    }
    if (tenantId != null) {
      fields.add("tenant_id");
    }
    if (eventTypes != null) {
      fields.add("event_types");
    }
    return fields;
  }

  /** True for {@code {}}: a no-op that takes no lock and publishes nothing. */
  @JsonIgnore
  public boolean isEmpty() {
    return changedFields().isEmpty();
  }
}
