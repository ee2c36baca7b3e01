package org.feedbackhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The closed code table of api.md 3.2: clients branch on these values, so each is pinned. */
class ProblemCodeTest {
  @ParameterizedTest
  @CsvSource({
    "VALIDATION, 400, validation, validation, Validation Error",
    "BAD_REQUEST, 400, bad_request, bad-request, Bad Request",
    "UNAUTHORIZED, 401, unauthorized, unauthorized, Unauthorized",
    "FORBIDDEN, 403, forbidden, forbidden, Forbidden",
    "NOT_FOUND, 404, not_found, not-found, Not Found",
    "METHOD_NOT_ALLOWED, 405, method_not_allowed, method-not-allowed, Method Not Allowed",
    "CONFLICT, 409, conflict, conflict, Conflict",
    "TENANT_WRITE_CONFLICT, 409, tenant_write_conflict, tenant-write-conflict, Conflict",
    "CONTENT_TOO_LARGE, 413, content_too_large, content-too-large, Content Too Large",
    "SERVICE_UNAVAILABLE, 503, service_unavailable, service-unavailable, Service Unavailable",
    "INTERNAL_SERVER_ERROR, 500, internal_server_error, internal-server-error,"
        + " Internal Server Error",
  })
  void mapping(ProblemCode code, int status, String wire, String slug, String title) {
    assertThat(code.status()).isEqualTo(status);
    assertThat(code.code()).isEqualTo(wire);
    assertThat(code.type()).isEqualTo("https://hub.formbricks.com/problems/" + slug);
    assertThat(code.title()).isEqualTo(title);
  }

  @Test
  void exactlyTheElevenCodesOfTheContract() {
    assertThat(Arrays.stream(ProblemCode.values()).map(ProblemCode::code))
        .containsExactlyInAnyOrder(
            "validation",
            "bad_request",
            "unauthorized",
            "forbidden",
            "not_found",
            "method_not_allowed",
            "conflict",
            "tenant_write_conflict",
            "content_too_large",
            "service_unavailable",
            "internal_server_error");
  }
}
