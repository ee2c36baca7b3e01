package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A tenant's settings; an unconfigured tenant has an empty {@code settings} object. */
public record TenantSettingsResponse(
    @JsonProperty("tenant_id") String tenantId, ObjectNode settings) {}
