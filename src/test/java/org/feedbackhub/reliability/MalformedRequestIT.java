package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.feedbackhub.testing.HubApp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests no client library would send, written byte for byte to a socket: bad percent-encoding
 * and invalid UTF-8 in paths, control bytes, huge headers, invalid UTF-8 in bodies. Some are
 * answered by Jetty before any application code runs; every answer must still be a 4xx problem+json
 * document, never a 5xx or an HTML page.
 */
@Tag("reliability")
class MalformedRequestIT {
  static final HubApp APP = HubApp.builder().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static final String AUTH = "Authorization: Bearer " + HubApp.API_KEY + "\r\n";

  static Stream<Arguments> malformedTargets() {
    return Stream.of(
        Arguments.of("GET", "/v1/feedback-records/%zz"),
        Arguments.of("GET", "/v1/feedback-records/%"),
        Arguments.of("GET", "/v1/feedback-records/%C3%28"),
        Arguments.of("GET", "/v1/feedback-records/%ED%A0%80"),
        Arguments.of("GET", "/v1/feedback-records/%00"),
        Arguments.of("PATCH", "/v1/webhooks/%zz"),
        Arguments.of("DELETE", "/v1/webhooks/%FF%FE"),
        Arguments.of("DELETE", "/v1/tenants/%zz/data"),
        Arguments.of("DELETE", "/v1/tenants/%C0%AF/data"),
        Arguments.of("DELETE", "/v1/tenants/%00/data"),
        Arguments.of("GET", "/v1/tenants/%E2%82/settings"),
        Arguments.of("GET", "/v1/feedback-records?tenant_id=%zz"),
        Arguments.of("GET", "/v1/feedback-records?tenant_id=%C3%28"),
        Arguments.of("GET", "/v1/webhooks?tenant_id=%"),
        Arguments.of("DELETE", "/v1/feedback-records?user_id=%FF"),
        Arguments.of("GET", "/v1/feedback-records/../../etc/passwd"),
        Arguments.of("GET", "/v1/feedback-records/%2e%2e/%2e%2e/health"),
        Arguments.of("GET", "/v1/feedback-records/a%2Fb"),
        Arguments.of("GET", "/v1/feedback-records/a%5Cb"),
        Arguments.of("GET", "//v1//feedback-records"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("malformedTargets")
  void aMalformedTargetGetsAProblemDocument(String method, String target) {
    RawSocket.Response response =
        raw().send(method + " " + target + " HTTP/1.1", AUTH, new byte[0]);
    assertNoServerErrorAndProblemOn4xx(response);
  }

  @Test
  void rawNonAsciiBytesInTheRequestLineGetAProblemDocument() {
    byte[] head = "GET /v1/feedback-records/".getBytes(StandardCharsets.ISO_8859_1);
    byte[] tail =
        (" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + AUTH + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = new byte[head.length + 3 + tail.length];
    System.arraycopy(head, 0, request, 0, head.length);
    request[head.length] = (byte) 0xC3;
    request[head.length + 1] = (byte) 0x28;
    request[head.length + 2] = (byte) 0xFF;
    System.arraycopy(tail, 0, request, head.length + 3, tail.length);
    assertProblem(raw().sendBytes(request));
  }

  @Test
  void aHugeHeaderGetsAProblemDocument() {
    String huge = "X-Huge: " + "a".repeat(64 * 1024) + "\r\n";
    assertProblem(
        raw().send("GET /v1/feedback-records?tenant_id=t HTTP/1.1", AUTH + huge, new byte[0]));
  }

  @Test
  void aHugeAuthorizationHeaderGetsAProblemDocument() {
    String huge = "Authorization: Bearer " + "k".repeat(20 * 1024) + "\r\n";
    assertProblem(raw().send("GET /v1/feedback-records?tenant_id=t HTTP/1.1", huge, new byte[0]));
  }

  @Test
  void aHeaderWithoutAColonGetsAProblemDocument() {
    assertProblem(
        raw()
            .send(
                "GET /v1/feedback-records?tenant_id=t HTTP/1.1",
                AUTH + "NoColonHere\r\n",
                new byte[0]));
  }

  @Test
  void anUnknownHttpVersionGetsAProblemDocument() {
    assertProblem(raw().send("GET /v1/feedback-records?tenant_id=t HTTP/7.3", AUTH, new byte[0]));
  }

  @Test
  void aBadChunkSizeGetsAProblemDocument() {
    byte[] body = "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    assertNoServerErrorAndProblemOn4xx(
        raw()
            .send(
                "POST /v1/feedback-records HTTP/1.1",
                AUTH + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
                body));
  }

  @Test
  void invalidUtf8InAJsonBodyIsABadRequest() {
    byte[] body = {
      '{',
      '"',
      't',
      'e',
      'n',
      'a',
      'n',
      't',
      '_',
      'i',
      'd',
      '"',
      ':',
      '"',
      (byte) 0xC3,
      (byte) 0x28,
      (byte) 0xFF,
      '"',
      '}'
    };
    RawSocket.Response response =
        raw()
            .send(
                "POST /v1/feedback-records HTTP/1.1",
                AUTH + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n",
                body);
    assertProblem(response);
    assertThat(response.status()).isEqualTo(400);
  }

  @Test
  void aDeclaredOversizedBodyIsRefusedWithoutReadingIt() {
    RawSocket.Response response =
        raw()
            .send(
                "POST /v1/feedback-records HTTP/1.1",
                AUTH + "Content-Type: application/json\r\nContent-Length: 104857600\r\n",
                "{\"tenant_id\":".getBytes(StandardCharsets.US_ASCII));
    assertProblem(response);
    assertThat(response.status()).isEqualTo(413);
  }

  /** Never a 5xx; any 4xx is a problem document. */
  static void assertNoServerErrorAndProblemOn4xx(RawSocket.Response response) {
    assertThat(response.status()).as("status of %s", response).isBetween(200, 499);
    if (response.status() >= 400) {
      assertProblem(response);
    }
  }

  static void assertProblem(RawSocket.Response response) {
    assertThat(response.status()).as("status of %s", response).isBetween(400, 499);
    assertThat(response.contentType())
        .as("content type of %s", response)
        .startsWith("application/problem+json");
    assertThat(response.json().path("status").asInt()).isEqualTo(response.status());
    assertThat(response.json().path("code").asText()).isNotEmpty();
  }

  static RawSocket raw() {
    return new RawSocket(EXT.getLocalPort());
  }
}
