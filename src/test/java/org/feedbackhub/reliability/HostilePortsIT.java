package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both ports against requests a browser page or a slow client can send: foreign {@code Host} and
 * {@code Origin} on the admin port, request bodies dripped past the deadline, bodies declared gzip
 * that are not, oversized task forms and bad {@code log-level} parameters. Each is a 4xx
 * problem+json (or, for a body that never arrives, a closed exchange) and never a 5xx.
 */
@Tag("reliability")
class HostilePortsIT {
  static final HubApp APP =
      HubApp.builder()
          .set("requestBodyTimeout", "2s")
          .set("admin.allowedHosts", "admin.internal, Ops.Example")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private static RawSocket admin() {
    return new RawSocket(EXT.getAdminPort());
  }

  private static RawSocket api() {
    return new RawSocket(EXT.getLocalPort());
  }

  private static RawSocket.Response adminGet(String host) {
    return admin()
        .sendBytes(
            ("GET /locks HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.example", "127.0.0.1.nip.io", "10.0.0.1", "localhost.evil.example"})
  void theAdminPortRefusesAForeignHost(String host) {
    RawSocket.Response reply = adminGet(host + ":" + EXT.getAdminPort());
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.json().path("code").asText()).isEqualTo("forbidden");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"localhost", "127.0.0.1", "127.3.4.5", "[::1]", "admin.internal", "ops.example"})
  void theAdminPortAnswersLoopbackAndConfiguredHosts(String host) {
    assertThat(adminGet(host + ":" + EXT.getAdminPort()).status()).isEqualTo(200);
  }

  @Test
  void aStateChangingAdminRequestFromAForeignOriginIsRefused() {
    String tenant = TenantIds.fresh("origin");
    String own = "http://127.0.0.1:" + EXT.getAdminPort();
    assertThat(purge(tenant, "Origin: http://evil.example\r\n").status()).isEqualTo(403);
    assertThat(purge(tenant, "Origin: null\r\n").status()).isEqualTo(403);
    assertThat(purge(tenant, "Origin: " + own + "\r\n").status()).isEqualTo(200);
    assertThat(purge(tenant, "").status()).as("no Origin: a script, not a browser").isEqualTo(200);
  }

  private static RawSocket.Response purge(String tenant, String extraHeaders) {
    String body = "tenant_id=" + java.net.URLEncoder.encode(tenant, StandardCharsets.UTF_8);
    return admin()
        .send(
            "POST /tasks/purge-tenant HTTP/1.1",
            "X-Requested-By: test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: "
                + body.length()
                + "\r\n"
                + extraHeaders,
            body.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"level=NOPE", "level=", "level=INFO&duration=5m", "duration=-PT1M"})
  void badLogLevelParametersAreValidationProblems(String query) {
    RawSocket.Response reply =
        admin()
            .send(
                "POST /tasks/log-level?logger=org.feedbackhub.probe&" + query + " HTTP/1.1",
                "X-Requested-By: test\r\nContent-Length: 0\r\n",
                new byte[0]);
    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.json().path("code").asText()).isEqualTo("validation");
  }

  @Test
  void aGoodLogLevelStillWorks() {
    RawSocket.Response reply =
        admin()
            .send(
                "POST /tasks/log-level?logger=org.feedbackhub.probe&level=info&duration=PT1M HTTP/1.1",
                "X-Requested-By: test\r\nContent-Length: 0\r\n",
                new byte[0]);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
  }

  @Test
  void aTaskFormOverTheLimitIsAProblemNotA500() {
    byte[] body = ("tenant_id=" + "x".repeat(300_000)).getBytes(StandardCharsets.US_ASCII);
    for (String task : new String[] {"/tasks/gc", "/tasks/purge-tenant", "/tasks/log-level"}) {
      RawSocket.Response reply =
          admin()
              .send(
                  "POST " + task + " HTTP/1.1",
                  "X-Requested-By: test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      + "Content-Length: "
                      + body.length
                      + "\r\n",
                  body);
      assertThat(reply.status()).as(task + " " + reply.body()).isBetween(400, 499);
      assertThat(reply.contentType()).as(task).startsWith("application/problem+json");
    }
  }

  @Test
  void aBodyDeclaredGzipThatIsNotIsABadRequestOnBothPorts() {
    byte[] notGzip = "tenant_id=abc".getBytes(StandardCharsets.US_ASCII);
    RawSocket.Response adminReply =
        admin()
            .send(
                "POST /tasks/purge-tenant HTTP/1.1",
                "X-Requested-By: test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Encoding: gzip\r\nContent-Length: "
                    + notGzip.length
                    + "\r\n",
                notGzip);
    assertThat(adminReply.status()).as(adminReply.body()).isEqualTo(400);
    assertThat(adminReply.contentType()).startsWith("application/problem+json");
    byte[] json = "{\"tenant_id\":\"x\"}".getBytes(StandardCharsets.US_ASCII);
    for (String route :
        new String[] {
          "POST /v1/feedback-records", "PUT /v1/tenants/x/settings", "POST /v1/webhooks"
        }) {
      RawSocket.Response reply =
          api()
              .send(
                  route + " HTTP/1.1",
                  "Authorization: Bearer "
                      + HubApp.API_KEY
                      + "\r\nContent-Type: application/json\r\n"
                      + "Content-Encoding: gzip\r\nContent-Length: "
                      + json.length
                      + "\r\n",
                  json);
      assertThat(reply.status()).as(route + " " + reply.body()).isEqualTo(400);
      assertThat(reply.json().path("code").asText()).isEqualTo("bad_request");
    }
  }

  @Test
  void aDrippedBodyIsCutOffAtTheDeadlineOnBothPorts() {
    String api =
        "POST /v1/feedback-records HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + HubApp.API_KEY
            + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    assertCutOff(EXT.getLocalPort(), api);
    String admin =
        "POST /tasks/purge-tenant HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Requested-By: t\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n";
    assertCutOff(EXT.getAdminPort(), admin);
  }

  /** Drips one byte each 200 ms; the server must end the exchange well before the body ends. */
  private static void assertCutOff(int port, String head) {
    long started = System.nanoTime();
    String answer = "";
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(200);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      byte[] buffer = new byte[4096];
      for (int i = 0; i < 1000; i++) {
        try {
          out.write('a');
          out.flush();
        } catch (IOException closed) {
          break;
        }
        try {
          int n = in.read(buffer);
          if (n < 0) {
            break;
          }
          answer += new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
          break;
        } catch (java.net.SocketTimeoutException stillReading) {
          // the server is still waiting for the body
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    // 1000 bytes at 5 a second would take 200 s; the deadline is 2 s.
    assertThat(took).isLessThan(Duration.ofSeconds(15));
    assertThat(answer).doesNotStartWith("HTTP/1.1 5");
  }
}
