package org.feedbackhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request bodies arrive whole however they are framed: with a {@code Content-Length}, chunked, or
 * gzip-encoded (whose {@code Content-Length} counts the compressed bytes, fewer than the JSON).
 */
class RequestBodyIT {
  static final HubApp APP = HubApp.builder().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A create whose {@code value_text} is {@code text}, a body well over a few kilobytes. */
  private static byte[] record(String text) {
    return """
        {"tenant_id":"%s","submission_id":"s-1","source_type":"survey","field_id":"q1",
         "field_type":"text","value_text":"%s"}"""
        .formatted(TenantIds.fresh("body"), text)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode create(HttpRequest.BodyPublisher body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(APP.baseUrl() + "/v1/feedback-records"))
            .header("Authorization", "Bearer " + HubApp.API_KEY)
            .header("Content-Type", "application/json")
            .POST(body);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body());
  }

  private static String text() {
    return "feedback ".repeat(2_000);
  }

  @Test
  void aBodyWithAContentLengthIsReadWhole() throws Exception {
    JsonNode created = create(HttpRequest.BodyPublishers.ofByteArray(record(text())));
    assertThat(created.get("value_text").asText()).isEqualTo(text());
  }

  @Test
  void aChunkedBodyIsReadWhole() throws Exception {
    byte[] body = record(text());
    JsonNode created =
        create(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    assertThat(created.get("value_text").asText()).isEqualTo(text());
  }

  @Test
  void aGzipBodyIsReadWholeThoughItsContentLengthCountsCompressedBytes() throws Exception {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(record(text()));
    }
    assertThat(compressed.size()).isLessThan(record(text()).length / 10);
    JsonNode created =
        create(
            HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray()),
            "Content-Encoding",
            "gzip");
    assertThat(created.get("value_text").asText()).isEqualTo(text());
  }
}
