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
      writeUntilAnswered(socket, request);
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code head} (request line and headers, CRLF-terminated, without the blank line) with
   * {@code Expect: 100-continue}, and the body only if the server asks for it: a refusal by
   * declared length (413) is then read reliably instead of being lost to a reset socket.
   */
  Response sendExpectingContinue(String head, byte[] body) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      OutputStream os = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      String request =
          head
              + "Host: 127.0.0.1\r\nConnection: close\r\nExpect: 100-continue\r\n"
              + "Content-Length: "
              + body.length
              + "\r\n\r\n";
      os.write(request.getBytes(StandardCharsets.UTF_8));
      os.flush();
      ByteArrayOutputStream interim = new ByteArrayOutputStream();
      while (!interim.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return parse(interim.toByteArray());
        }
        interim.write(b);
      }
      String first = interim.toString(StandardCharsets.ISO_8859_1);
      if (!first.startsWith("HTTP/1.1 100")) {
        byte[] rest = readAll(in);
        byte[] all = new byte[interim.size() + rest.length];
        System.arraycopy(interim.toByteArray(), 0, all, 0, interim.size());
        System.arraycopy(rest, 0, all, interim.size(), rest.length);
        return parse(all);
      }
      writeUntilAnswered(socket, body);
      return parse(readAll(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes in slices and stops once the server has started answering: a server that refuses a
   * request early (a huge header, an oversized body) closes the connection, and bytes written after
   * that would reset the socket and lose the answer.
   */
  private static void writeUntilAnswered(Socket socket, byte[] bytes) {
    try {
      OutputStream os = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (int at = 0; at < bytes.length && in.available() == 0; at += 16 * 1024) {
        os.write(bytes, at, Math.min(16 * 1024, bytes.length - at));
        os.flush();
      }
    } catch (IOException e) {
      // The server answered and closed before reading everything; the answer is still readable.
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
