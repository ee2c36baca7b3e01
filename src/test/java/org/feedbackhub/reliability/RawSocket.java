package org.feedbackhub.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends exact bytes down a fresh socket and reads the response until the server closes it: for
 * requests no HTTP client would build (bad percent-encoding, invalid UTF-8, huge headers). Bounded
 * by a 10 s read timeout.
 */
final class RawSocket {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A parsed raw response; {@code status} is -1 when the server closed without answering. */
  record Response(int status, Map<String, String> headers, String body) {
    String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  private final int port;

  RawSocket(int port) {
    this.port = port;
  }

  /** Sends {@code head} (CRLF line ends added) followed by {@code body}, with Connection: close. */
  Response send(String requestLine, String headers, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(requestLine.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(
        ("\r\nHost: 127.0.0.1\r\nConnection: close\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(headers.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return sendBytes(out.toByteArray());
  }

  Response sendBytes(byte[] request) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      OutputStream os = socket.getOutputStream();
      try {
        os.write(request);
        os.flush();
      } catch (IOException e) {
        // The server may answer and close before reading everything (e.g. a huge header).
      }
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no complete response within 10 s: " + out, e);
    } catch (IOException e) {
      // A reset after the response was written still leaves the response.
    }
    return out.toByteArray();
  }

  private static Response parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.UTF_8);
    int headEnd = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/") || headEnd < 0) {
      return new Response(-1, Map.of(), text);
    }
    String[] lines = text.substring(0, headEnd).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new TreeMap<>();
    boolean chunked = false;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = lines[i].substring(colon + 1).trim();
        headers.put(name, value);
        chunked |= name.equals("transfer-encoding") && value.equalsIgnoreCase("chunked");
      }
    }
    String body = text.substring(headEnd + 4);
    return new Response(status, headers, chunked ? dechunk(body) : body);
  }

  private static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < body.length()) {
      int lineEnd = body.indexOf("\r\n", at);
      if (lineEnd < 0) {
        break;
      }
      int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    return out.toString();
  }
}
