package org.feedbackhub.events;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.feedbackhub.core.WebhookUrlGuard;

/**
 * POSTs one signed webhook request and reports what happened, never throwing: a Standard Webhooks
 * request ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}) with a hard
 * bound on the whole exchange. Redirects are not followed (a 3xx is a failure).
 *
 * @implNote It connects to the addresses {@link WebhookUrlGuard#check} resolved and checked, never
 *     resolving the host again, and sends the URL's host as {@code Host} and as the TLS server name
 *     (with the certificate checked against it): a DNS answer that changes between check and
 *     connect cannot redirect a delivery to an internal address. That is why this is a small
 *     HTTP/1.1 client over a socket; the JDK's client resolves names itself. One request per
 *     connection ({@code Connection: close}).
 */
public final class WebhookSender {
  /** What one attempt gave: the HTTP status when a response arrived, the error when it failed. */
  public record Result(Integer statusCode, String error, long durationNanos) {
    public boolean succeeded() {
      return error == null;
    }
  }

  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private final Duration timeout;
  private final Executor executor;
  private final SSLSocketFactory tlsSockets;

  /** A sender that checks certificates against the JVM's default trust store. */
  public WebhookSender(Duration timeout, Executor executor) {
    this(timeout, executor, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** A sender whose TLS connections come from {@code tlsSockets} (its trust anchors). */
  public WebhookSender(Duration timeout, Executor executor, SSLSocketFactory tlsSockets) {
    this.timeout = timeout;
    this.executor = executor;
    this.tlsSockets = tlsSockets;
  }

  /** Sends {@code body} to the checked {@code target}, signed with {@code signingKey}. */
  public Result send(
      WebhookUrlGuard.Target target, String signingKey, String messageId, String body) {
    long started = System.nanoTime();
    long timestamp = Instant.now().getEpochSecond();
    byte[] request;
    try {
      request =
          request(
              target,
              messageId,
              timestamp,
              StandardWebhooksSigner.sign(signingKey, messageId, timestamp, body),
              body);
    } catch (IllegalArgumentException e) {
      return new Result(null, "invalid request: " + e.getMessage(), System.nanoTime() - started);
    }
    AtomicReference<Socket> open = new AtomicReference<>();
    CompletableFuture<Integer> exchange =
        CompletableFuture.supplyAsync(() -> exchange(target, request, open, started), executor);
    try {
      int status = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      long elapsed = System.nanoTime() - started;
      if (status >= 200 && status < 300) {
        return new Result(status, null, elapsed);
      }
      return new Result(status, "webhook returned non-2xx status: " + status, elapsed);
    } catch (TimeoutException e) {
      close(open.get());
      return new Result(
          null, "timed out after " + timeout.toSeconds() + "s", System.nanoTime() - started);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      String what =
          cause instanceof java.net.SocketTimeoutException
              ? "timed out after " + timeout.toSeconds() + "s"
              : "send failed: " + describe(cause);
      return new Result(null, what, System.nanoTime() - started);
    } catch (InterruptedException e) {
      close(open.get());
      Thread.currentThread().interrupt();
      return new Result(null, "interrupted", System.nanoTime() - started);
    }
  }

  private byte[] request(
      WebhookUrlGuard.Target target,
      String messageId,
      long timestamp,
      String signature,
      String body) {
    String path = target.uri().getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    if (target.uri().getRawQuery() != null) {
      path += "?" + target.uri().getRawQuery();
    }
    String host = target.uri().getHost();
    boolean defaultPort = target.uri().getPort() < 0;
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\n"
            + "Host: "
            + (defaultPort ? host : host + ":" + target.port())
            + "\r\nContent-Type: application/json\r\nUser-Agent: feedback-hub-webhooks\r\n"
            + "webhook-id: "
            + headerValue(messageId)
            + "\r\nwebhook-timestamp: "
            + timestamp
            + "\r\nwebhook-signature: "
            + headerValue(signature)
            + "\r\nContent-Length: "
            + payload.length
            + "\r\nConnection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[headBytes.length + payload.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(payload, 0, all, headBytes.length, payload.length);
    return all;
  }

  private static String headerValue(String value) {
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("header value with a line break");
    }
    return value;
  }

  /** Connects, writes the request and reads the response to its end; the status code. */
  private int exchange(
      WebhookUrlGuard.Target target, byte[] request, AtomicReference<Socket> open, long started) {
    try (Socket socket = connect(target, open, started)) {
      socket.setSoTimeout(remainingMillis(started));
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      int status;
      Response response;
      do {
        response = Response.read(in);
        status = response.status();
      } while (status >= 100 && status < 200);
      response.drainBody(in);
      return status;
    } catch (IOException e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }

  private Socket connect(WebhookUrlGuard.Target target, AtomicReference<Socket> open, long started)
      throws IOException {
    IOException last = null;
    for (InetAddress address : target.addresses()) {
      Socket socket = new Socket();
      open.set(socket);
      try {
        socket.connect(new InetSocketAddress(address, target.port()), remainingMillis(started));
        return "https".equalsIgnoreCase(target.uri().getScheme())
            ? tls(socket, target, open)
            : socket;
      } catch (IOException e) {
        close(socket);
        last = e;
      }
    }
    throw last == null ? new IOException("no address to connect to") : last;
  }

  /** TLS over the connected socket, naming the URL's host for SNI and the certificate check. */
  private Socket tls(Socket plain, WebhookUrlGuard.Target target, AtomicReference<Socket> open)
      throws IOException {
    String host = target.uri().getHost();
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    SSLSocket tls = (SSLSocket) tlsSockets.createSocket(plain, bare, target.port(), true);
    open.set(tls);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!bare.contains(":") && !Character.isDigit(bare.charAt(bare.length() - 1))) {
      parameters.setServerNames(List.of(new SNIHostName(bare)));
    }
    tls.setSSLParameters(parameters);
    tls.startHandshake();
    return tls;
  }

  private int remainingMillis(long started) throws IOException {
    long left = timeout.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    if (left <= 0) {
      throw new java.net.SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  private static void close(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing only to end the exchange
      }
    }
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    String type = cause instanceof IOException ? cause.getClass().getSimpleName() : "error";
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  /** A response's status line and the headers that frame its body. */
  private record Response(int status, long contentLength, boolean chunked) {
    static Response read(InputStream in) throws IOException {
      String statusLine = line(in);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x response");
      }
      int status;
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("not an HTTP/1.x response");
      }
      long length = -1;
      boolean chunked = false;
      for (String header = line(in); !header.isEmpty(); header = line(in)) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
        if (name.equals("content-length")) {
          try {
            length = Long.parseLong(value);
          } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length");
          }
        } else if (name.equals("transfer-encoding")) {
          chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        }
      }
      return new Response(status, length, chunked);
    }

    /** Reads the body to its end, as the receiver frames it, and drops it. */
    void drainBody(InputStream in) throws IOException {
      if (status == 204 || status == 304) {
        return;
      }
      if (chunked) {
        for (long size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
          in.skipNBytes(size);
          line(in);
        }
        for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
          // trailers are dropped
        }
      } else if (contentLength >= 0) {
        in.skipNBytes(contentLength);
      } else {
        in.transferTo(OutputStream.nullOutputStream());
      }
    }

    private static long chunkSize(String line) throws IOException {
      int semicolon = line.indexOf(';');
      try {
        return Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size");
      }
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder out = new StringBuilder();
      for (int read = 0; read < MAX_HEAD_BYTES; read++) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed before the response ended");
        }
        if (b == '\n') {
          int end = out.length();
          return end > 0 && out.charAt(end - 1) == '\r'
              ? out.substring(0, end - 1)
              : out.toString();
        }
        out.append((char) b);
      }
      throw new IOException("response head too long");
    }
  }
}
