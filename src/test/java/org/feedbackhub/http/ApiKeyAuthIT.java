package org.feedbackhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.Locale;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.RawHttp;
import org.feedbackhub.testing.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bearer check in front of {@code /v1}, against the running application. */
class ApiKeyAuthIT {
  static final HubApp APP = HubApp.builder().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private static final String GUARDED = "/v1/feedback-records";

  private static RawHttp http() {
    return new RawHttp(APP.baseUrl());
  }

  @Test
  void missingHeader() {
    assertUnauthorized(http().get(GUARDED), "Missing Authorization header");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Basic dXNlcjpwYXNz", "Token " + HubApp.API_KEY, "Bearer\tx", "x"})
  void wrongFormat(String header) {
    assertUnauthorized(
        http().get(GUARDED, "Authorization", header),
        "Invalid Authorization header format. Expected: Bearer <api-key>");
  }

  /** The server strips trailing blanks, so an empty key arrives as the bare scheme word. */
  @ParameterizedTest
  @ValueSource(strings = {"Bearer ", "Bearer    ", "Bearer", "bearer"})
  void emptyKey(String header) {
    assertUnauthorized(http().get(GUARDED, "Authorization", header), "API key is empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"wrong-key", HubApp.API_KEY + "x", "TEST-API-KEY-12345", "test-api-key"})
  void wrongKey(String key) {
    assertUnauthorized(http().get(GUARDED, "Authorization", "Bearer " + key), "Invalid API key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer", "bearer", "BEARER", "bEaReR"})
  void schemeWordMatchesInAnyCase(String scheme) {
    Reply reply = http().get("/v1/no-such-route", "Authorization", scheme + " " + HubApp.API_KEY);
    // Past the key check, an unknown route is a plain 404.
    assertThat(reply.status()).isEqualTo(404);
  }

  /** Sequential requests share one keep-alive connection, where Jetty caches header fields. */
  @Test
  void aKeyInAnotherCaseIsRefusedAfterTheRightKeyOnTheSameConnection() {
    String upper = "Bearer " + HubApp.API_KEY.toUpperCase(Locale.ROOT);
    String right = "Bearer " + HubApp.API_KEY;
    RawHttp http = http();
    for (int round = 0; round < 3; round++) {
      assertThat(http.get("/v1/no-such-route", "Authorization", right).status()).isEqualTo(404);
      assertUnauthorized(http.get(GUARDED, "Authorization", upper), "Invalid API key");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1", "/v1/", GUARDED, "/v1/anything/at/all"})
  void everythingUnderV1IsGuarded(String path) {
    assertThat(http().get(path).status()).isEqualTo(401);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/health", "/openapi.json", "/openapi.yaml"})
  void publicRoutesNeedNoKey(String path) {
    Reply reply = http().get(path);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("WWW-Authenticate")).isNull();
  }

  @Test
  void aWrongKeyDoesNotBlockPublicRoutes() {
    assertThat(http().get("/health", "Authorization", "Bearer wrong").status()).isEqualTo(200);
  }

  private static void assertUnauthorized(Reply reply, String detail) {
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(reply.contentType()).isEqualTo("application/problem+json");
    assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    JsonNode problem = reply.json();
    assertThat(problem.get("type").asText())
        .isEqualTo("https://hub.formbricks.com/problems/unauthorized");
    assertThat(problem.get("title").asText()).isEqualTo("Unauthorized");
    assertThat(problem.get("status").asInt()).isEqualTo(401);
    assertThat(problem.get("code").asText()).isEqualTo("unauthorized");
    assertThat(problem.get("detail").asText()).isEqualTo(detail);
    assertThat(problem.get("request_id").asText())
        .isNotBlank()
        .isEqualTo(reply.header("X-Request-ID"));
    assertThat(problem.get("instance").asText()).isEqualTo(GUARDED);
  }
}
