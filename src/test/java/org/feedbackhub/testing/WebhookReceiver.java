package org.feedbackhub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real webhook receiver on 127.0.0.1 (the JDK's HttpServer): records every request per path and
 * answers as each path's {@link Responder} says (200 by default). Signatures are checked against
 * the webhook's key with an independent Standard Webhooks verifier.
 */
public final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Decides the status of one request; may block (a hanging receiver). */
  @FunctionalInterface
  public interface Responder {
    int respond(Request request) throws Exception;
  }

  /** One received request. */
  public record Request(
      String path,
      String id,
      String timestamp,
      String signature,
      String body,
      JsonNode json,
      String host) {

    /** Whether the request carries a valid {@code v1} signature made with {@code signingKey}. */
    public boolean isSignedWith(String signingKey) {
      try {
        String encoded =
            signingKey.startsWith("whsec_") ? signingKey.substring("whsec_".length()) : signingKey;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(encoded), "HmacSHA256"));
        byte[] expected =
            mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        for (String candidate : signature.split(" ")) {
          if (candidate.startsWith("v1,")
              && MessageDigest.isEqual(
                  expected, Base64.getDecoder().decode(candidate.substring(3)))) {
            return true;
          }
        }
        return false;
      } catch (Exception e) {
        return false;
      }
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Responder> responders = new ConcurrentHashMap<>();

  public WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The URL of {@code path} (without a leading slash) on this receiver. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
  }

  public void respond(String path, Responder responder) {
    responders.put("/" + path, responder);
  }

  /** Every request received on {@code path}, in arrival order. */
  public List<Request> received(String path) {
    List<Request> matching = new ArrayList<>();
    for (Request request : requests) {
      if (request.path().equals("/" + path)) {
        matching.add(request);
      }
    }
    return matching;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      var headers = exchange.getRequestHeaders();
      JsonNode json;
      try {
        json = JSON.readTree(body);
      } catch (IOException e) {
        json = null;
      }
      Request request =
          new Request(
              exchange.getRequestURI().getPath(),
              headers.getFirst("webhook-id"),
              headers.getFirst("webhook-timestamp"),
              headers.getFirst("webhook-signature"),
              body,
              json,
              headers.getFirst("Host"));
      requests.add(request);
      int status;
      try {
        status = responders.getOrDefault(request.path(), r -> 200).respond(request);
      } catch (Exception e) {
        status = 500;
      }
      if (status >= 300 && status < 400) {
        exchange.getResponseHeaders().add("Location", url("redirected"));
      }
      exchange.sendResponseHeaders(status, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
