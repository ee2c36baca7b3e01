package org.feedbackhub.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;

/**
 * A thread-safe JSON client for the reliability tests: any method, any body, a bounded timeout, and
 * the API key. Transport failures come back as status -1 so a history records them instead of
 * losing them.
 */
final class Api {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String baseUrl;
  private final HttpClient client;

  Api(String baseUrl) {
    this.baseUrl = baseUrl;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newCachedThreadPool(daemon()))
            .build();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "reliability-http");
      t.setDaemon(true);
      return t;
    };
  }

  Reply send(String method, String path, String json) {
    return send(method, path, json, "Authorization", "Bearer " + HubApp.API_KEY);
  }

  /**
   * Sends with exactly {@code headers} (name, value, ...): no API key unless given; a JSON body
   * gets {@code Content-Type: application/json} unless a Content-Type is given.
   */
  Reply send(String method, String path, String json, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(TIMEOUT)
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    boolean contentType = false;
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
      contentType |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (json != null && !contentType) {
      request.header("Content-Type", "application/json");
    }
    try {
      return Reply.of(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return new Reply(-1, java.util.Map.of(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(-1, java.util.Map.of(), e.toString());
    }
  }

  Reply post(String path, String json) {
    return send("POST", path, json);
  }

  Reply patch(String path, String json) {
    return send("PATCH", path, json);
  }

  Reply get(String path) {
    return send("GET", path, null);
  }

  Reply delete(String path) {
    return send("DELETE", path, null);
  }
}
