package org.feedbackhub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque keyset cursor of list endpoints: URL-safe base64 of {@code {"t": <RFC 3339 UTC
 * timestamp with nanoseconds>, "i": <uuid>}}, naming the last row of the previous page.
 */
public record KeysetCursor(Instant timestamp, UUID id) {
  /** The reason given for a cursor that cannot be decoded. */
  public static final String INVALID_REASON =
      "omit it for the first page, or use the exact next_cursor value from the previous response";

  private static final ObjectMapper JSON = new ObjectMapper();

  public String encode() {
    ObjectNode node = JSON.createObjectNode();
    node.put("t", DateTimeFormatter.ISO_INSTANT.format(timestamp));
    node.put("i", id.toString());
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes {@code raw}; null or empty means the first page.
   *
   * @throws ProblemException a {@code validation} problem on {@code cursor} when malformed
   */
  public static KeysetCursor decode(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      String padded = raw.strip();
      JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(padded));
      if (node == null || !node.path("t").isTextual() || !node.path("i").isTextual()) {
        throw new IllegalArgumentException("missing members");
      }
      Instant t =
          DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(node.get("t").asText(), Instant::from);
      UUID i = UUID.fromString(node.get("i").asText());
      return new KeysetCursor(t, i);
    } catch (Exception e) {
      throw ProblemException.validation("cursor", INVALID_REASON);
    }
  }
}
