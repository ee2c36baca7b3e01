package org.feedbackhub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real OpenAI-compatible embeddings server on 127.0.0.1 (the JDK's HttpServer): {@code POST
 * /v1/embeddings} with {@code {model, input}} answers {@code {data: [{index, embedding}]}} with
 * deterministic vectors, unless the test's {@link Responder} answers otherwise (a 429, a 500, a
 * wrong dimension, a blocked call).
 */
public final class FakeOpenAiEmbeddings implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The dimension of {@link #vector}. */
  public static final int DIMENSION = 8;

  /** One call the server received. */
  public record Call(String authorization, String model, List<String> inputs) {}

  /** A reply: a status, an optional Retry-After, and the vectors of a 200. */
  public record Reply(int status, String retryAfter, List<float[]> vectors) {
    public static Reply ok(List<float[]> vectors) {
      return new Reply(200, null, vectors);
    }

    public static Reply status(int status) {
      return new Reply(status, null, null);
    }
  }

  /** Decides one reply; may block. {@code null} means the default answer. */
  @FunctionalInterface
  public interface Responder {
    Reply respond(Call call) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile Responder responder = call -> null;

  public FakeOpenAiEmbeddings() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/v1/embeddings", this::handle);
    server.start();
  }

  /** The base URL to configure as {@code EMBEDDING_BASE_URL}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void respondWith(Responder responder) {
    this.responder = responder;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** A deterministic non-zero vector of {@link #DIMENSION} values for {@code text}. */
  public static float[] vector(String text) {
    float[] vector = new float[DIMENSION];
    for (char c : text.toCharArray()) {
      vector[c % DIMENSION] += 1;
    }
    vector[0] += 0.5f;
    return vector;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      List<String> inputs = new ArrayList<>();
      body.path("input").forEach(node -> inputs.add(node.asText()));
      Call call =
          new Call(
              exchange.getRequestHeaders().getFirst("Authorization"),
              body.path("model").asText(),
              inputs);
      calls.add(call);
      Reply reply;
      try {
        reply = responder.respond(call);
      } catch (Exception e) {
        reply = Reply.status(500);
      }
      if (reply == null) {
        reply = Reply.ok(inputs.stream().map(FakeOpenAiEmbeddings::vector).toList());
      }
      if (reply.retryAfter() != null) {
        exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
      }
      byte[] out =
          reply.status() == 200
              ? render(call.model(), reply.vectors()).getBytes(StandardCharsets.UTF_8)
              : "{\"error\":{\"message\":\"nope\"}}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status(), out.length);
      exchange.getResponseBody().write(out);
    }
  }

  private static String render(String model, List<float[]> vectors) {
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    // Reversed on purpose: clients must order by "index", not by position.
    for (int i = vectors.size() - 1; i >= 0; i--) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      ArrayNode values = item.putArray("embedding");
      for (float value : vectors.get(i)) {
        values.add(value);
      }
    }
    root.put("model", model);
    root.putObject("usage").put("prompt_tokens", 1).put("total_tokens", 1);
    return root.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
