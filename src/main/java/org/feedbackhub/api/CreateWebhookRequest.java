package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body of {@code POST /v1/webhooks}; {@code url} and {@code tenant_id} are required. */
public record CreateWebhookRequest(
    @JsonProperty("url") String url,
    @JsonProperty("tenant_id") String tenantId,
    @JsonProperty("signing_key") String signingKey,
    @JsonProperty("enabled") Boolean enabled,
    @JsonProperty("event_types") List<String> eventTypes) {}
