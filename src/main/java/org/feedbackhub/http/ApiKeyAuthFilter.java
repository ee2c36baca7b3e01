package org.feedbackhub.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.feedbackhub.api.ProblemException;

/**
 * Guards a path prefix with {@code Authorization: Bearer <token>}: the scheme word matches in any
 * case, the token is compared in constant time, and each failure has its own 401 detail.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class ApiKeyAuthFilter implements ContainerRequestFilter {
  private static final String SCHEME = "bearer";

  private final String pathPrefix;
  private final byte[] expected;

  /**
   * @param pathPrefix the guarded paths, relative to the application root, e.g. {@code v1/}
   * @param token the secret; must not be blank
   */
  public ApiKeyAuthFilter(String pathPrefix, String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("an API key is required");
    }
    this.pathPrefix = pathPrefix;
    this.expected = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    String guarded = pathPrefix.substring(0, pathPrefix.length() - 1);
    if (!path.startsWith(pathPrefix) && !path.equals(guarded)) {
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isEmpty()) {
      throw ProblemException.unauthorized("Missing Authorization header");
    }
    // HTTP servers strip trailing blanks from header values, so "Bearer " (an unset key in the
    // client) arrives as the bare scheme word: that is an empty key, not a malformed header.
    if (header.trim().equalsIgnoreCase(SCHEME)) {
      throw ProblemException.unauthorized("API key is empty");
    }
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).equalsIgnoreCase(SCHEME)) {
      throw ProblemException.unauthorized(
          "Invalid Authorization header format. Expected: Bearer <api-key>");
    }
    String presented = header.substring(space + 1).trim();
    if (presented.isEmpty()) {
      throw ProblemException.unauthorized("API key is empty");
    }
    if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
      throw ProblemException.unauthorized("Invalid API key");
    }
  }
}
