package org.feedbackhub.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /** Bodies longer than this (chars) are sent with {@code Expect: 100-continue}. */
  static final int EXPECT_CONTINUE_ABOVE = 256 * 1024;

  private final String baseUrl;
  private final HttpClient client;
  private final boolean freshConnections;

  Api(String baseUrl) {
    this(baseUrl, false);
  }

  /**
   * @param freshConnections send every request on its own socket with {@code Connection: close}:
   *     hostile requests make the server close connections early, and a pooled client could then
   *     reuse a connection the server has already closed
   */
  Api(String baseUrl, boolean freshConnections) {
    this.baseUrl = baseUrl;
    this.freshConnections = freshConnections;
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
    if (freshConnections) {
      return sendRaw(method, path, json, headers);
    }
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

  /**
   * One request on a fresh socket. A body over {@link #EXPECT_CONTINUE_ABOVE} is sent with {@code
   * Expect: 100-continue}: the server refuses an oversized body by its declared length and closes
   * without reading it, so the client must read the refusal rather than push the body first.
   */
  private Reply sendRaw(String method, String path, String json, String... headers) {
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    boolean contentType = false;
    for (int i = 0; i < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      contentType |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (json != null && !contentType) {
      head.append("Content-Type: application/json\r\n");
    }
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    RawSocket raw = new RawSocket(URI.create(baseUrl).getPort());
    RawSocket.Response r;
    if (body.length > EXPECT_CONTINUE_ABOVE) {
      r = raw.sendExpectingContinue(head.toString(), body);
    } else {
      if (json != null) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      byte[] start =
          (head + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8);
      byte[] all = new byte[start.length + body.length];
      System.arraycopy(start, 0, all, 0, start.length);
      System.arraycopy(body, 0, all, start.length, body.length);
      r = raw.sendBytes(all);
    }
    Map<String, List<String>> h = new HashMap<>();
    r.headers().forEach((k, v) -> h.put(k, List.of(v)));
    return new Reply(r.status(), h, r.body());
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
