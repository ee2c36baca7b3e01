package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A webhook as get, list and update return it: never with its signing key. */
public record WebhookPublicData(
    @JsonProperty("id") UUID id,
    @JsonProperty("url") String url,
    @JsonProperty("enabled") boolean enabled,
    @JsonProperty("tenant_id") String tenantId,
    @JsonProperty("event_types") List<String> eventTypes,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt,
    @JsonProperty("disabled_reason") String disabledReason,
    @JsonProperty("disabled_at") Instant disabledAt) {}
