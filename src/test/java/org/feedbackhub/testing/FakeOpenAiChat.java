package org.feedbackhub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real OpenAI-compatible Chat Completions server on 127.0.0.1 (the JDK's HttpServer) that checks
 * every request it gets, as the enrichment contract says a client must send it: the model, the
 * system and user messages, and for sentiment and emotions {@code response_format} with {@code
 * strict: true} and exactly the contract's schema (written out here independently of the code under
 * test). Problems are collected in {@link #violations()}. It answers a plausible result unless the
 * test's {@link Responder} picks another {@link Reply}: a 429 with {@code Retry-After}, a 500, a
 * hang, a malformed body, a refusal, a content-policy block, an over-long input, a rejected {@code
 * temperature}.
 */
public final class FakeOpenAiChat implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SENTIMENT_SCHEMA =
      """
      {"type":"object",
       "properties":{
         "sentiment":{"type":"string","enum":["very_negative","negative","neutral","positive",
                                              "very_positive","mixed"]},
         "score":{"type":"number"}},
       "required":["sentiment","score"],
       "additionalProperties":false}
      """;

  private static final String EMOTIONS_SCHEMA =
      """
      {"type":"object",
       "properties":{
         "emotions":{"type":"array",
                     "items":{"type":"string",
                              "enum":["joy","anger","sadness","fear","surprise","disgust"]}}},
       "required":["emotions"],
       "additionalProperties":false}
      """;

  /** One request: which kind it asked for (from its response format), its parts, its body. */
  public record Call(
      String kind,
      String authorization,
      String model,
      String systemPrompt,
      String userText,
      boolean temperature,
      JsonNode body) {}

  /** An answer: status, headers and body as sent; {@link #hanging()} never answers. */
  public record Reply(int status, Map<String, String> headers, String body, boolean hangs) {
    /** A 200 whose first choice's content is {@code content}. */
    public static Reply content(String content) {
      ObjectNode root = JSON.createObjectNode();
      ObjectNode choice = root.putArray("choices").addObject();
      choice.put("index", 0).put("finish_reason", "stop");
      choice.putObject("message").put("role", "assistant").put("content", content);
      return new Reply(200, Map.of(), root.toString(), false);
    }

    public static Reply raw(int status, String body) {
      return new Reply(status, Map.of(), body, false);
    }

    public static Reply rateLimited(String retryAfter) {
      return new Reply(
          429,
          Map.of("Retry-After", retryAfter),
          "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
          false);
    }

    public static Reply serverError() {
      return raw(
          500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
    }

    public static Reply malformed() {
      return raw(200, "{\"choices\":[{\"message\":{\"content\":");
    }

    /** A 200 whose model refused (the {@code refusal} field, no content). */
    public static Reply refusal() {
      return raw(
          200,
          "{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\","
              + "\"content\":null,\"refusal\":\"I can't help with that.\"}}]}");
    }

    public static Reply contentPolicy() {
      return raw(
          400,
          "{\"error\":{\"message\":\"Your request was rejected as a result of our safety system.\","
              + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"content_policy_violation\"}}");
    }

    /** Azure's shape: a 200 whose choice the content filter stopped. */
    public static Reply contentFiltered() {
      return raw(
          200,
          "{\"choices\":[{\"index\":0,\"finish_reason\":\"content_filter\",\"message\":{\"role\":"
              + "\"assistant\",\"content\":null}}]}");
    }

    public static Reply inputTooLong() {
      return raw(
          400,
          "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. However,"
              + " your messages resulted in 9001 tokens.\",\"type\":\"invalid_request_error\","
              + "\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}");
    }

    public static Reply temperatureRejected() {
      return raw(
          400,
          "{\"error\":{\"message\":\"Unsupported value: 'temperature' does not support 0 with this"
              + " model. Only the default (1) value is supported.\",\"type\":\"invalid_request_error\","
              + "\"param\":\"temperature\",\"code\":\"unsupported_value\"}}");
    }

    public static Reply hanging() {
      return new Reply(0, Map.of(), "", true);
    }
  }

  /** Decides one reply; {@code null} means the default answer of the call's kind. */
  @FunctionalInterface
  public interface Responder {
    Reply respond(Call call) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Responder responder = call -> null;
  private volatile String expectedModel;

  public FakeOpenAiChat() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  /** The base URL to configure as {@code *_BASE_URL}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every request must name this model (any non-empty model when unset). */
  public FakeOpenAiChat expectModel(String model) {
    this.expectedModel = model;
    return this;
  }

  public void respondWith(Responder responder) {
    this.responder = responder;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** What was wrong with the requests received so far; empty when each was as the contract says. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  /** The default answer of each kind. */
  public static Reply defaultReply(Call call) {
    return switch (call.kind()) {
      case "sentiment" -> Reply.content("{\"sentiment\":\"positive\",\"score\":0.5}");
      case "emotions" -> Reply.content("{\"emotions\":[\"joy\"]}");
      default -> Reply.content("translated: " + call.userText());
    };
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      Call call = check(exchange, body);
      calls.add(call);
      Reply reply;
      try {
        reply = responder.respond(call);
      } catch (Exception e) {
        reply = Reply.serverError();
      }
      if (reply == null) {
        reply = defaultReply(call);
      }
      if (reply.hangs()) {
        closed.await();
        return;
      }
      reply.headers().forEach(exchange.getResponseHeaders()::add);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
      exchange.getResponseBody().write(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Call check(HttpExchange exchange, JsonNode body) throws IOException {
    List<String> problems = new ArrayList<>();
    if (!"POST".equals(exchange.getRequestMethod())) {
      problems.add("method " + exchange.getRequestMethod());
    }
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null || !contentType.startsWith("application/json")) {
      problems.add("content type " + contentType);
    }
    String model = body.path("model").asText("");
    if (model.isEmpty() || (expectedModel != null && !expectedModel.equals(model))) {
      problems.add("model '" + model + "'");
    }
    JsonNode messages = body.path("messages");
    if (messages.size() != 2
        || !"system".equals(messages.path(0).path("role").asText())
        || !"user".equals(messages.path(1).path("role").asText())
        || !messages.path(0).path("content").isTextual()
        || !messages.path(1).path("content").isTextual()) {
      problems.add("messages must be [system, user] with text content: " + messages);
    }
    JsonNode format = body.path("response_format");
    String kind = "translation";
    if (!format.isMissingNode()) {
      kind = format.path("json_schema").path("name").asText("?");
      String schema =
          switch (kind) {
            case "sentiment" -> SENTIMENT_SCHEMA;
            case "emotions" -> EMOTIONS_SCHEMA;
            default -> null;
          };
      if (schema == null) {
        problems.add("response_format names no known schema: " + format);
      } else {
        if (!"json_schema".equals(format.path("type").asText())) {
          problems.add("response_format.type " + format.path("type"));
        }
        if (!format.path("json_schema").path("strict").isBoolean()
            || !format.path("json_schema").path("strict").booleanValue()) {
          problems.add("response_format.json_schema.strict is not true");
        }
        if (!JSON.readTree(schema).equals(format.path("json_schema").path("schema"))) {
          problems.add(kind + " schema differs: " + format.path("json_schema").path("schema"));
        }
        if (format.size() != 2 || format.path("json_schema").size() != 3) {
          problems.add("response_format has extra members: " + format);
        }
      }
    } else {
      String prompt = messages.path(0).path("content").asText("").toLowerCase();
      if (!prompt.contains("line break")) {
        problems.add("translation prompt does not keep line breaks");
      }
    }
    if (body.has("temperature") && !body.path("temperature").isNumber()) {
      problems.add("temperature " + body.path("temperature"));
    }
    problems.forEach(problem -> violations.add(problem));
    return new Call(
        kind,
        exchange.getRequestHeaders().getFirst("Authorization"),
        model,
        messages.path(0).path("content").asText(null),
        messages.path(1).path("content").asText(null),
        body.has("temperature"),
        body);
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
