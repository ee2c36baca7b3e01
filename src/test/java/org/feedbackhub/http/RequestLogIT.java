package org.feedbackhub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request log, on standard output, has one line a request with its method, path, status and
 * duration, and never the query string: tenant and user ids travel there.
 */
class RequestLogIT {
  static final HubApp APP =
      HubApp.builder().set("server.requestLog.appenders[0].threshold", "ALL").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @Test
  void aRequestIsLoggedWithItsPathAndStatusButWithoutItsQueryString() {
    String tenant = TenantIds.fresh("request-log");
    PrintStream original = System.out;
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    // The console appender looks System.out up on every write.
    System.setOut(new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8));
    try {
      try (Response listed =
          APP.get("/v1/feedback-records?tenant_id=" + tenant + "&user_id=person-4711")) {
        assertThat(listed.getStatus()).isEqualTo(200);
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> linesFor(copy, "/v1/feedback-records").size() == 1);
    } finally {
      System.setOut(original);
    }
    assertThat(linesFor(copy, "/v1/feedback-records").get(0))
        .contains("\"GET /v1/feedback-records HTTP/1.1\" 200 ")
        .doesNotContain(tenant)
        .doesNotContain("person-4711")
        .doesNotContain("?")
        .matches(".* \\d+");
  }

  private static List<String> linesFor(ByteArrayOutputStream copy, String path) {
    synchronized (copy) {
      return Arrays.stream(copy.toString(StandardCharsets.UTF_8).split("\n"))
          .filter(line -> line.contains(" " + path))
          .toList();
    }
  }

  /** Writes to the console as before and keeps a copy. */
  private static final class Tee extends OutputStream {
    private final OutputStream console;
    private final ByteArrayOutputStream copy;

    Tee(OutputStream console, ByteArrayOutputStream copy) {
      this.console = console;
      this.copy = copy;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      console.write(bytes, offset, length);
      synchronized (copy) {
        copy.write(bytes, offset, length);
      }
    }

    @Override
    public void flush() throws IOException {
      console.flush();
    }
  }
}
