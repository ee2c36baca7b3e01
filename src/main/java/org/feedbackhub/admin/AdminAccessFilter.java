package org.feedbackhub.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;
import org.feedbackhub.api.ProblemCode;

/**
 * Guards every path of the admin port: the {@code Host} and {@code Origin} a browser sends ({@link
 * AdminOrigins}), HTTP basic auth when credentials are configured, and a custom {@value
 * #CSRF_HEADER} header on every state-changing request.
 *
 * @implNote The header is the cross-site request forgery defence: a foreign page can make a browser
 *     send a form POST (with the browser's cached basic-auth credentials) but cannot add a custom
 *     header without a CORS preflight, which the admin port never grants. Credentials are compared
 *     as SHA-256 digests with {@link MessageDigest#isEqual}, which takes the same time whatever the
 *     input, so neither content nor length leaks through timing.
 */
public final class AdminAccessFilter extends HttpFilter {
  public static final String CSRF_HEADER = "X-Requested-By";

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
  private static final String REALM = "Basic realm=\"feedback-hub admin\", charset=\"UTF-8\"";

  private final transient AdminResponses responses;
  private final byte[] expectedCredentials;
  private final transient AdminOrigins origins;

  /**
   * @param user the admin user, or empty for no basic auth
   * @param password the admin password
   */
  public AdminAccessFilter(String user, String password, AdminResponses responses) {
    this(user, password, Set.of(), responses);
  }

  /**
   * @param allowedHosts host names answered besides loopback names and addresses
   */
  public AdminAccessFilter(
      String user, String password, Set<String> allowedHosts, AdminResponses responses) {
    this.responses = responses;
    this.expectedCredentials = user.isEmpty() ? null : digest(user + ":" + password);
    this.origins = new AdminOrigins(allowedHosts);
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    // Nothing on the admin port is meant to be framed or to run foreign scripts.
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader(
        "Content-Security-Policy",
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
    String refusal = origins.hostRefusal(request);
    if (refusal != null) {
      ProblemCode code = ProblemCode.FORBIDDEN;
      responses.problem(request, response, code, code.status(), refusal, null);
      return;
    }
    if (expectedCredentials != null && !authenticated(request)) {
      response.setHeader("WWW-Authenticate", REALM);
      ProblemCode code = ProblemCode.UNAUTHORIZED;
      responses.problem(request, response, code, code.status(), "admin credentials required", null);
      return;
    }
    if (!SAFE_METHODS.contains(request.getMethod())) {
      String marker = request.getHeader(CSRF_HEADER);
      if (marker == null || marker.isBlank()) {
        ProblemCode code = ProblemCode.FORBIDDEN;
        responses.problem(
            request,
            response,
            code,
            code.status(),
            "state-changing admin requests need the " + CSRF_HEADER + " header",
            null);
        return;
      }
      String foreign = origins.originRefusal(request);
      if (foreign != null) {
        ProblemCode code = ProblemCode.FORBIDDEN;
        responses.problem(request, response, code, code.status(), foreign, null);
        return;
      }
    }
    chain.doFilter(request, response);
  }

  private boolean authenticated(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    return MessageDigest.isEqual(expectedCredentials, digest(decoded));
  }

  private static byte[] digest(String credentials) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(credentials.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
