package org.feedbackhub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * The opaque keyset cursor of list endpoints: URL-safe base64 of {@code {"t": <RFC 3339 UTC
 * timestamp>, "i": <uuid>, "s": <sort>, "o": <order>}}, naming the last row of the previous page
 * and the order it was read in. {@code s} and {@code o} are absent from cursors of the first format
 * (and from webhook cursors), which stand for the list's default order.
 *
 * @implNote A decoded timestamp must lie within years 1..9999 and carry at most microseconds: every
 *     value read from a row through the API does (its date-times are limited to 1970..2080, and
 *     {@code created_at} is the server's clock), PostgreSQL and the driver bind such values
 *     exactly, and anything else is not a cursor this service wrote. Outside PostgreSQL's range
 *     (after 294276, before 4713 BC) binding failed in the database with a 500.
 */
public record KeysetCursor(Instant timestamp, UUID id, String sort, String order) {
  /** The reason given for a cursor that cannot be decoded. */
  public static final String INVALID_REASON =
      "omit it for the first page, or use the exact next_cursor value from the previous response";

  /** The reason given for a cursor of another sort or order than the request's. */
  public static final String OTHER_ORDER_REASON =
      "was issued for another sort or order; omit it for the first page, or send the sort and"
          + " order it was issued for";

  /** Earliest timestamp of a cursor. */
  static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  /** Latest timestamp of a cursor: the last microsecond of 9999. */
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A cursor of the first format: no sort or order recorded. */
  public KeysetCursor(Instant timestamp, UUID id) {
    this(timestamp, id, null, null);
  }

  public String encode() {
    ObjectNode node = JSON.createObjectNode();
    node.put("t", DateTimeFormatter.ISO_INSTANT.format(timestamp));
    node.put("i", id.toString());
    if (sort != null) {
      node.put("s", sort);
    }
    if (order != null) {
      node.put("o", order);
    }
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes {@code raw} for a list read in {@code sort} and {@code order}; null or empty means the
   * first page. A cursor without sort and order is accepted only when {@code isDefault}.
   *
   * @throws ProblemException a {@code validation} problem on {@code cursor} when malformed, out of
   *     range, or issued for another order
   */
  public static KeysetCursor decode(String raw, String sort, String order, boolean isDefault) {
    KeysetCursor cursor = decode(raw);
    if (cursor == null) {
      return null;
    }
    boolean matches =
        cursor.sort == null && cursor.order == null
            ? isDefault
            : Objects.equals(cursor.sort, sort) && Objects.equals(cursor.order, order);
    if (!matches) {
      throw ProblemException.validation("cursor", OTHER_ORDER_REASON);
    }
    return cursor;
  }

  private static KeysetCursor decode(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    KeysetCursor cursor;
    try {
      cursor = parse(JSON.readTree(Base64.getUrlDecoder().decode(raw.strip())));
    } catch (Exception e) {
      cursor = null;
    }
    if (cursor == null) {
      throw ProblemException.validation("cursor", INVALID_REASON);
    }
    return cursor;
  }

  /**
   * The cursor {@code node} describes, or null when a member is missing, mistyped or out of range.
   */
  private static KeysetCursor parse(JsonNode node) {
    if (node == null
        || !node.isObject()
        || !node.path("t").isTextual()
        || !node.path("i").isTextual()
        || !optionalText(node, "s")
        || !optionalText(node, "o")) {
      return null;
    }
    Instant t = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(node.get("t").asText(), Instant::from);
    if (t.isBefore(EARLIEST) || t.isAfter(LATEST) || t.getNano() % 1000 != 0) {
      return null;
    }
    String i = node.get("i").asText();
    UUID id = UUID.fromString(i);
    if (!id.toString().equalsIgnoreCase(i)) {
      return null;
    }
    return new KeysetCursor(t, id, text(node, "s"), text(node, "o"));
  }

  private static boolean optionalText(JsonNode node, String name) {
    return !node.has(name) || node.get(name).isTextual();
  }

  private static String text(JsonNode node, String name) {
    return node.has(name) ? node.get(name).asText() : null;
  }
}
