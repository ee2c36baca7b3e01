package org.feedbackhub.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * One bearer secret and the rules for presenting it in {@code Authorization: Bearer <token>}: the
 * scheme word matches in any case, the token is compared in constant time, and each failure has its
 * own 401 detail.
 */
final class BearerToken {
  private static final String SCHEME = "bearer";

  private final byte[] expected;

  /**
   * @param token the secret; must not be blank
   */
  BearerToken(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("a bearer token is required");
    }
    this.expected = token.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code header} presents this token. */
  boolean accepts(String header) {
    return refusal(header) == null;
  }

  /**
   * The 401 detail for {@code header} (an {@code Authorization} value), or null when it matches.
   */
  String refusal(String header) {
    if (header == null || header.isEmpty()) {
      return "Missing Authorization header";
    }
    // HTTP servers strip trailing blanks from header values, so "Bearer " (an unset key in the
    // client) arrives as the bare scheme word: that is an empty key, not a malformed header.
    if (header.trim().equalsIgnoreCase(SCHEME)) {
      return "API key is empty";
    }
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).equalsIgnoreCase(SCHEME)) {
      return "Invalid Authorization header format. Expected: Bearer <api-key>";
    }
    String presented = header.substring(space + 1).trim();
    if (presented.isEmpty()) {
      return "API key is empty";
    }
    if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
      return "Invalid API key";
    }
    return null;
  }
}
