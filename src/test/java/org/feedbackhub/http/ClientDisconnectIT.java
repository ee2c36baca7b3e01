package org.feedbackhub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.jersey.errors.EofExceptionWriterInterceptor;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A client that hangs up while its response is being written is not a server error: the service
 * counts it and logs it at DEBUG, not at ERROR with a stack trace (as Jersey does on its own).
 */
class ClientDisconnectIT {
  static final HubApp APP = HubApp.builder().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  /** 200 records of 30,000 characters: a 6 MB page, more than loopback's socket buffers hold. */
  private static final int RECORDS = 200;

  private static final String TENANT = TenantIds.fresh("disconnect");

  @BeforeAll
  static void fillALargePage() {
    String text = "x".repeat(30_000);
    for (int i = 0; i < RECORDS; i++) {
      String body =
          """
          {"tenant_id":"%s","submission_id":"s-%d","source_type":"survey","field_id":"q1",
           "field_type":"text","value_text":"%s"}"""
              .formatted(TENANT, i, text);
      try (Response created = APP.post("/v1/feedback-records", body)) {
        assertThat(created.getStatus()).isEqualTo(201);
      }
    }
  }

  @Test
  void aClientResettingTheConnectionMidResponseIsCountedNotLoggedAsAnError() throws Exception {
    Counter disconnects =
        EXT.getEnvironment()
            .metrics()
            .counter(MetricRegistry.name(EofExceptionWriterInterceptor.class, "eof-exceptions"));
    long before = disconnects.getCount();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try {
      try (Socket socket = new Socket()) {
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", EXT.getLocalPort()));
        OutputStream out = socket.getOutputStream();
        out.write(
            ("GET /v1/feedback-records?limit=1000&tenant_id="
                    + TENANT
                    + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nAuthorization: Bearer "
                    + HubApp.API_KEY
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        socket.setSoLinger(true, 0); // close with a reset, unread response and all
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> disconnects.getCount() > before);
      assertThat(logs.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR));
    } finally {
      root.detachAppender(logs);
    }
    try (Response page = APP.get("/v1/feedback-records?limit=1&tenant_id=" + TENANT)) {
      assertThat(page.getStatus()).isEqualTo(200);
    }
  }
}
