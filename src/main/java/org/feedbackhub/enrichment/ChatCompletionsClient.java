package org.feedbackhub.enrichment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One OpenAI-compatible Chat Completions endpoint ({@code POST {base}/v1/chat/completions}) for one
 * model: sends a request body, answers the first choice's content, and classifies every other
 * outcome as an {@link EnrichmentProviderException}.
 *
 * @implNote The JDK client connects only to the configured endpoint (no telemetry, no redirects
 *     followed). A model that rejects {@code temperature} (reasoning models accept only their
 *     default) is asked again once without it, and from then on never sent one.
 */
public final class ChatCompletionsClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Answers beyond this size are not read: no completion of one record's text is that long. */
  static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

  private final URI endpoint;
  private final String model;
  private final String apiKey;
  private final Duration timeout;
  private final HttpClient client;
  private final AtomicBoolean temperatureRejected = new AtomicBoolean();

  public ChatCompletionsClient(String baseUrl, String model, String apiKey, Duration timeout) {
    this.endpoint = URI.create(stripVersion(baseUrl) + "/v1/chat/completions");
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

  public String model() {
    return model;
  }

  /**
   * Sends {@code body} (messages, response format; the model and temperature are added here) and
   * answers the first choice's content.
   *
   * @throws EnrichmentProviderException for anything but a usable answer
   */
  public String complete(ObjectNode body) {
    ObjectNode request = body.deepCopy();
    request.put("model", model);
    if (!temperatureRejected.get()) {
      request.put("temperature", 0);
    }
    Answer answer = send(request);
    if (answer.status() == 400 && request.has("temperature") && rejectsTemperature(answer.body())) {
      temperatureRejected.set(true);
      request.remove("temperature");
      answer = send(request);
    }
    return content(answer);
  }

  private record Answer(int status, JsonNode body, HttpResponse<?> response) {}

  private Answer send(ObjectNode request) {
    HttpRequest.Builder http =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(request.toString()));
    if (!apiKey.isEmpty()) {
      http.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<InputStream> response;
    byte[] bytes;
    try {
      response = client.send(http.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
      }
    } catch (HttpTimeoutException e) {
      throw EnrichmentProviderException.retryable("timeout", e);
    } catch (IOException e) {
      throw EnrichmentProviderException.retryable("unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw EnrichmentProviderException.retryable("interrupted", e);
    }
    int status = response.statusCode();
    if (status == 429) {
      throw EnrichmentProviderException.rateLimited(retryAfter(response));
    }
    if (bytes.length > MAX_ANSWER_BYTES) {
      throw EnrichmentProviderException.retryable("unparsable", null);
    }
    JsonNode json;
    try {
      json = JSON.readTree(bytes);
    } catch (IOException e) {
      json = null;
    }
    return new Answer(status, json == null ? JSON.missingNode() : json, response);
  }

  /** The content of a 2xx, or the classified failure of any other answer. */
  private static String content(Answer answer) {
    int status = answer.status();
    JsonNode error = answer.body().path("error");
    if (status >= 500) {
      throw EnrichmentProviderException.retryable("http_5xx", null);
    }
    if (status < 200 || status > 299) {
      String terminal = terminalReason(error);
      if (terminal != null) {
        throw EnrichmentProviderException.terminal(terminal);
      }
      throw EnrichmentProviderException.retryable("http_" + status, null);
    }
    JsonNode choice = answer.body().path("choices").path(0);
    JsonNode message = choice.path("message");
    if (message.path("refusal").isTextual() && !message.path("refusal").asText().isEmpty()) {
      throw EnrichmentProviderException.terminal("refusal");
    }
    if ("content_filter".equals(choice.path("finish_reason").asText())) {
      throw EnrichmentProviderException.terminal("content_policy");
    }
    JsonNode content = message.path("content");
    if (!content.isTextual()) {
      throw EnrichmentProviderException.retryable("unparsable", null);
    }
    return content.textValue();
  }

  /**
   * The terminal reason of an error answer, when it is one: a content-policy block (OpenAI's {@code
   * content_policy_violation}, Azure's {@code content_filter}) or input over the model's context
   * ({@code context_length_exceeded}, or a message saying so where the gateway sets no code).
   */
  static String terminalReason(JsonNode error) {
    String code = (error.path("code").asText("") + " " + error.path("type").asText(""));
    String message = error.path("message").asText("").toLowerCase(Locale.ROOT);
    if (code.contains("content_policy")
        || code.contains("content_filter")
        || message.contains("content management policy")
        || message.contains("content policy")) {
      return "content_policy";
    }
    if (code.contains("context_length")
        || code.contains("string_above_max_length")
        || message.contains("maximum context length")
        || message.contains("context length")
        || message.contains("too many tokens")) {
      return "input_too_long";
    }
    return null;
  }

  /** A 400 whose error names {@code temperature} as the unsupported parameter or value. */
  static boolean rejectsTemperature(JsonNode body) {
    JsonNode error = body.path("error");
    if ("temperature".equals(error.path("param").asText())) {
      return true;
    }
    String message = error.path("message").asText("").toLowerCase(Locale.ROOT);
    return message.contains("temperature")
        && (message.contains("unsupported") || message.contains("not support"));
  }

  /** {@code Retry-After} in seconds or as an HTTP date, or {@code retry-after-ms}; null if none. */
  static Duration retryAfter(HttpResponse<?> response) {
    var headers = response.headers();
    var millis = headers.firstValue("retry-after-ms");
    if (millis.isPresent()) {
      try {
        return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(millis.get().trim())));
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    return headers
        .firstValue("Retry-After")
        .map(ChatCompletionsClient::parseRetryAfter)
        .orElse(null);
  }

  static Duration parseRetryAfter(String value) {
    String trimmed = value.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until =
            Duration.between(
                ZonedDateTime.now(),
                ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME));
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }
}
