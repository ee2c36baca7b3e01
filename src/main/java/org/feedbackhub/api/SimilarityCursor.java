package org.feedbackhub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * The cursor of semantic search and similar: URL-safe base64 of {@code {"d": <cosine distance
 * 0..2>, "i": <uuid>}}, naming the last hit of the previous page in (distance, id) order.
 */
public record SimilarityCursor(double distance, UUID id) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public String encode() {
    ObjectNode node = JSON.createObjectNode();
    node.put("d", distance);
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
  public static SimilarityCursor decode(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(raw.strip()));
      if (node == null || !node.path("d").isNumber() || !node.path("i").isTextual()) {
        throw new IllegalArgumentException("missing members");
      }
      double d = node.get("d").asDouble();
      if (!(d >= 0 && d <= 2)) {
        throw new IllegalArgumentException("distance out of range");
      }
      return new SimilarityCursor(d, UUID.fromString(node.get("i").asText()));
    } catch (Exception e) {
      throw ProblemException.validation("cursor", KeysetCursor.INVALID_REASON);
    }
  }
}
