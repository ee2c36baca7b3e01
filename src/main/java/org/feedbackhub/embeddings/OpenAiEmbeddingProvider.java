package org.feedbackhub.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Any OpenAI-compatible embeddings endpoint: {@code POST {base}/v1/embeddings} with {@code {model,
 * input: [..]}}, answered with {@code {data: [{index, embedding}]}}.
 */
public final class OpenAiEmbeddingProvider implements EmbeddingProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final String model;
  private final String apiKey;
  private final Duration timeout;
  private final HttpClient client;

  public OpenAiEmbeddingProvider(String baseUrl, String model, String apiKey, Duration timeout) {
    this.endpoint = URI.create(stripVersion(baseUrl) + "/v1/embeddings");
    this.model = model;
    this.apiKey = apiKey;
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Accepts a base URL given with or without the trailing {@code /v1}. */
  static String stripVersion(String baseUrl) {
    String base = baseUrl.strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base.endsWith("/v1") ? base.substring(0, base.length() - 3) : base;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public OptionalInt dimension() {
    return OptionalInt.empty();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    texts.forEach(body.putArray("input")::add);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (!apiKey.isEmpty()) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new EmbeddingProviderException("embedding provider unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddingProviderException("interrupted while calling the provider", e);
    }
    int status = response.statusCode();
    if (status == 429) {
      throw new EmbeddingProviderException(
          "embedding provider rate limit (429)", true, retryAfter(response));
    }
    if (status < 200 || status > 299) {
      throw new EmbeddingProviderException(
          "embedding provider answered HTTP " + status, false, null);
    }
    return parse(response.body(), texts.size());
  }

  private static List<float[]> parse(String body, int expected) {
    try {
      JsonNode data = JSON.readTree(body).path("data");
      if (!data.isArray() || data.size() != expected) {
        throw new EmbeddingProviderException(
            "embedding provider returned " + data.size() + " vectors for " + expected + " inputs",
            false,
            null);
      }
      float[][] ordered = new float[expected][];
      for (int position = 0; position < expected; position++) {
        JsonNode item = data.get(position);
        int index = item.path("index").asInt(position);
        JsonNode values = item.path("embedding");
        if (index < 0 || index >= expected || ordered[index] != null || !values.isArray()) {
          throw new EmbeddingProviderException(
              "embedding provider returned a malformed item", false, null);
        }
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
          vector[i] = (float) values.get(i).asDouble();
        }
        ordered[index] = vector;
      }
      return new ArrayList<>(Arrays.asList(ordered));
    } catch (IOException e) {
      throw new EmbeddingProviderException("embedding provider returned invalid JSON", e);
    }
  }

  private static Duration retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(
            value -> {
              try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
              } catch (NumberFormatException e) {
                return null;
              }
            })
        .orElse(null);
  }
}
