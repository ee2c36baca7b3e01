package org.feedbackhub.events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.feedbackhub.Lazy;

/**
 * POSTs one signed webhook request and reports what happened, never throwing: a Standard Webhooks
 * request ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}) with a hard
 * bound on the whole exchange. Redirects are not followed (a 3xx is a failure).
 */
public final class WebhookSender {
  /** What one attempt gave: the HTTP status when a response arrived, the error when it failed. */
  public record Result(Integer statusCode, String error, long durationNanos) {
    public boolean succeeded() {
      return error == null;
    }
  }

  /**
   * Built on the first delivery: TLS set-up costs start-up time an instance without webhooks never
   * needs.
   */
  private final Lazy<HttpClient> client;

  private final Duration timeout;

  public WebhookSender(Duration timeout, Executor executor) {
    this.timeout = timeout;
    this.client =
        Lazy.of(
            () ->
                HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(timeout)
                    .executor(executor)
                    .build());
  }

  /**
   * Sends {@code body} to {@code url} signed with {@code signingKey}.
   *
   * @implNote The request timeout of {@link HttpClient} stops at the response headers; the outer
   *     {@code get(timeout)} also bounds a receiver that sends headers and then stalls the body.
   */
  public Result send(String url, String signingKey, String messageId, String body) {
    long started = System.nanoTime();
    long timestamp = Instant.now().getEpochSecond();
    CompletableFuture<HttpResponse<Void>> exchange;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header("User-Agent", "feedback-hub-webhooks")
              .header("webhook-id", messageId)
              .header("webhook-timestamp", Long.toString(timestamp))
              .header(
                  "webhook-signature",
                  StandardWebhooksSigner.sign(signingKey, messageId, timestamp, body))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      exchange = client.get().sendAsync(request, HttpResponse.BodyHandlers.discarding());
    } catch (IllegalArgumentException e) {
      return new Result(null, "invalid request: " + e.getMessage(), System.nanoTime() - started);
    }
    try {
      int status = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
      long elapsed = System.nanoTime() - started;
      if (status >= 200 && status < 300) {
        return new Result(status, null, elapsed);
      }
      return new Result(status, "webhook returned non-2xx status: " + status, elapsed);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      return new Result(
          null, "timed out after " + timeout.toSeconds() + "s", System.nanoTime() - started);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String what =
          cause instanceof java.net.http.HttpTimeoutException
              ? "timed out after " + timeout.toSeconds() + "s"
              : "send failed: " + describe(cause);
      return new Result(null, what, System.nanoTime() - started);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      return new Result(null, "interrupted", System.nanoTime() - started);
    }
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    String type = cause instanceof IOException ? cause.getClass().getSimpleName() : "error";
    return message == null || message.isBlank() ? type : type + ": " + message;
  }
}
