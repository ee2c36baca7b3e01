package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import org.feedbackhub.tenant.Hub.Reply;

/** The retryable 409 every tenant write conflict answers, checked in full. */
final class TenantConflictAssertions {
  static final String TYPE = "https://hub.formbricks.com/problems/tenant-write-conflict";

  private TenantConflictAssertions() {}

  /** Asserts a 409 {@code tenant_write_conflict} with the retry hints and {@code detail}. */
  static JsonNode assertTenantWriteConflict(Reply reply, String detail) {
    assertThat(reply.status()).as("status").isEqualTo(409);
    assertThat(reply.retryAfter()).as("Retry-After").isEqualTo("1");
    assertThat(reply.shouldRetry()).as("x-should-retry").isEqualTo("true");
    JsonNode body = reply.body();
    assertThat(body).as("problem body").isNotNull();
    assertThat(body.path("code").asText()).as("code").isEqualTo("tenant_write_conflict");
    assertThat(body.path("type").asText()).as("type").isEqualTo(TYPE);
    assertThat(body.path("status").asInt()).as("body status").isEqualTo(409);
    assertThat(body.path("detail").asText()).as("detail").isEqualTo(detail);
    return body;
  }

  static JsonNode assertTenantWriteConflict(Response response, String detail) {
    return assertTenantWriteConflict(Reply.of(response), detail);
  }

  /** A writer refused because its tenant is under purge. */
  static JsonNode assertWriterRefused(Response response) {
    return assertTenantWriteConflict(response, TenantWriteConflictException.WRITER_REFUSED);
  }

  static JsonNode assertWriterRefused(Reply reply) {
    return assertTenantWriteConflict(reply, TenantWriteConflictException.WRITER_REFUSED);
  }

  /** A purge that gave up waiting for writers in flight. */
  static JsonNode assertPurgeTimedOut(Response response) {
    return assertTenantWriteConflict(response, TenantWriteConflictException.PURGE_TIMED_OUT);
  }

  static JsonNode assertPurgeTimedOut(Reply reply) {
    return assertTenantWriteConflict(reply, TenantWriteConflictException.PURGE_TIMED_OUT);
  }
}
