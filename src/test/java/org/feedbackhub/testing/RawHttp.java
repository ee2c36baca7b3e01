package org.feedbackhub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends requests with exactly the headers given (blanks, tabs and case kept), through the JDK
 * client, whose pooled keep-alive connections also let a test send several requests down one
 * connection, as {@code ApiKeyAuthIT} does to pin Jetty's header cache.
 */
public final class RawHttp {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final String baseUrl;

  public RawHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /**
   * Sends {@code method} to {@code path} with {@code headers} given as name, value, name, value...
   */
  public Reply send(String method, String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return Reply.of(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Reply get(String path, String... headers) {
    return send("GET", path, headers);
  }
}
