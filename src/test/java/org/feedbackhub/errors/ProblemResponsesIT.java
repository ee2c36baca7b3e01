package org.feedbackhub.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.List;
import java.util.UUID;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.RawHttp;
import org.feedbackhub.testing.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Jersey's own errors leave as problem documents, with the request id and no-store. */
class ProblemResponsesIT {
  static final HubApp APP = HubApp.builder().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private static final String AUTH = "Bearer " + HubApp.API_KEY;

  private static RawHttp http() {
    return new RawHttp(APP.baseUrl());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/nope", "/v1x", "/health/extra", "/openapi.xml"})
  void unknownRouteOutsideV1NeedsTheKeyToo(String path) {
    // Only /health and /openapi.* answer without the key: fail closed, everywhere.
    assertThat(http().get(path).status()).isEqualTo(401);
    assertNotFound(http().get(path, "Authorization", AUTH), path);
  }

  @Test
  void unknownRouteInsideV1NeedsTheKeyFirst() {
    assertThat(http().get("/v1/nope").status()).isEqualTo(401);
    assertNotFound(http().get("/v1/nope", "Authorization", AUTH), "/v1/nope");
  }

  @Test
  void wrongMethodIsAMethodNotAllowedProblemThatKeepsAllow() {
    Reply reply = http().send("POST", "/health");
    assertThat(reply.status()).isEqualTo(405);
    assertThat(reply.header("Allow")).isNotNull();
    assertThat(List.of(reply.header("Allow").split(",\\s*")))
        .contains("GET")
        .doesNotContain("POST");
    JsonNode problem = assertProblem(reply, 405, "method_not_allowed", "method-not-allowed");
    assertThat(problem.get("title").asText()).isEqualTo("Method Not Allowed");
    assertThat(problem.get("detail").asText()).isEqualTo("Method POST is not allowed");
    assertThat(problem.get("instance").asText()).isEqualTo("/health");
  }

  @Test
  void aSuppliedRequestIdIsEchoedInHeaderAndProblem() {
    String id = "client-trace-" + UUID.randomUUID();
    Reply reply = http().get("/nope", "X-Request-ID", id);
    assertThat(reply.header("X-Request-ID")).isEqualTo(id);
    assertThat(reply.json().get("request_id").asText()).isEqualTo(id);
  }

  @Test
  void aSuppliedRequestIdIsEchoedOnSuccessToo() {
    Reply reply = http().get("/health", "X-Request-ID", "abc-123");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("X-Request-ID")).isEqualTo("abc-123");
  }

  @Test
  void requestIdsDifferingOnlyInCaseAreEchoedAsSent() {
    RawHttp http = http();
    assertThat(http.get("/health", "X-Request-ID", "Trace-AbC").header("X-Request-ID"))
        .isEqualTo("Trace-AbC");
    assertThat(http.get("/health", "X-Request-ID", "trace-abc").header("X-Request-ID"))
        .isEqualTo("trace-abc");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/health", "/nope"})
  void anAbsentRequestIdIsAFreshUuidV7(String path) {
    Reply first = http().get(path);
    Reply second = http().get(path);
    UUID one = UUID.fromString(first.header("X-Request-ID"));
    UUID two = UUID.fromString(second.header("X-Request-ID"));
    assertThat(one.version()).isEqualTo(7);
    assertThat(one.variant()).isEqualTo(2);
    assertThat(two).isNotEqualTo(one);
    if (first.status() != 200) {
      assertThat(first.json().get("request_id").asText()).isEqualTo(one.toString());
    }
  }

  @Test
  void anUnprintableRequestIdIsReplaced() {
    String tooLong = "x".repeat(201);
    Reply reply = http().get("/nope", "X-Request-ID", tooLong);
    assertThat(UUID.fromString(reply.header("X-Request-ID")).version()).isEqualTo(7);
    assertThat(reply.json().get("request_id").asText()).isEqualTo(reply.header("X-Request-ID"));
  }

  @Test
  void theProblemDocumentHasNoNullMembers() {
    for (Reply reply :
        List.of(
            http().get("/nope"),
            http().get("/v1/x"),
            http().send("POST", "/health"),
            http().get("/v1/x", "Authorization", AUTH))) {
      JsonNode problem = reply.json();
      problem
          .fields()
          .forEachRemaining(
              member -> assertThat(member.getValue().isNull()).as(member.getKey()).isFalse());
      assertThat(problem.has("invalid_params")).isFalse();
      assertThat(problem.has("details")).isFalse();
      assertThat(problem.fieldNames())
          .toIterable()
          .isSubsetOf(
              "type",
              "title",
              "status",
              "detail",
              "instance",
              "code",
              "request_id",
              "details",
              "invalid_params");
    }
  }

  private static void assertNotFound(Reply reply, String path) {
    JsonNode problem = assertProblem(reply, 404, "not_found", "not-found");
    assertThat(problem.get("title").asText()).isEqualTo("Not Found");
    assertThat(problem.get("instance").asText()).isEqualTo(path);
  }

  private static JsonNode assertProblem(Reply reply, int status, String code, String slug) {
    assertThat(reply.status()).isEqualTo(status);
    assertThat(reply.contentType()).isEqualTo("application/problem+json");
    assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    JsonNode problem = reply.json();
    assertThat(problem.get("type").asText())
        .isEqualTo("https://hub.formbricks.com/problems/" + slug);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("code").asText()).isEqualTo(code);
    assertThat(problem.get("request_id").asText()).isEqualTo(reply.header("X-Request-ID"));
    return problem;
  }
}
