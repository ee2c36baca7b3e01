package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;

/** The retryable 409 every tenant write conflict answers, checked in full. */
final class TenantConflictAssertions {
  static final String TYPE = "https://hub.formbricks.com/problems/tenant-write-conflict";

  private TenantConflictAssertions() {}

  /** Asserts a 409 {@code tenant_write_conflict} with the retry hints and {@code detail}. */
  static JsonNode assertTenantWriteConflict(Response response, String detail) {
    assertThat(response.getStatus()).as("status").isEqualTo(409);
    assertThat(response.getHeaderString("Retry-After")).as("Retry-After").isEqualTo("1");
    assertThat(response.getHeaderString("x-should-retry")).as("x-should-retry").isEqualTo("true");
    JsonNode body = response.readEntity(JsonNode.class);
    assertThat(body.path("code").asText()).as("code").isEqualTo("tenant_write_conflict");
    assertThat(body.path("type").asText()).as("type").isEqualTo(TYPE);
    assertThat(body.path("status").asInt()).as("body status").isEqualTo(409);
    assertThat(body.path("detail").asText()).as("detail").isEqualTo(detail);
    return body;
  }

  /** A writer refused because its tenant is under purge. */
  static JsonNode assertWriterRefused(Response response) {
    return assertTenantWriteConflict(response, TenantWriteConflictException.WRITER_REFUSED);
  }

  /** A purge that gave up waiting for writers in flight. */
  static JsonNode assertPurgeTimedOut(Response response) {
    return assertTenantWriteConflict(response, TenantWriteConflictException.PURGE_TIMED_OUT);
  }
}
