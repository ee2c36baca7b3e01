package org.feedbackhub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fully read and closed HTTP response with case-insensitive header names. Reading a Jersey
 * response at once hands the connection back to the client's small pool; a test that only looks at
 * the status would otherwise leak connections until a later request waits forever.
 */
public record Reply(int status, Map<String, List<String>> headers, String body) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public Reply {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    headers = copy;
  }

  public static Reply of(Response response) {
    try (response) {
      String body = response.hasEntity() ? response.readEntity(String.class) : "";
      return new Reply(response.getStatus(), response.getStringHeaders(), body);
    }
  }

  public static Reply of(HttpResponse<String> response) {
    return new Reply(response.statusCode(), response.headers().map(), response.body());
  }

  /** The first value of header {@code name}, or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public String contentType() {
    return header("Content-Type");
  }

  public JsonNode json() {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }
}
