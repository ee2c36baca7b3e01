package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A page of webhooks; {@code next_cursor} is present only when more rows exist. */
public record ListWebhooksResponse(
    @JsonProperty("data") List<WebhookPublicData> data,
    @JsonProperty("limit") int limit,
    @JsonProperty("next_cursor") String nextCursor) {}
