package org.feedbackhub.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code Host} and {@code Origin} the admin port answers: a loopback name or address, or a
 * host named in {@code ADMIN_ALLOWED_HOSTS}; a state-changing request whose {@code Origin} is
 * present must come from the admin port itself.
 *
 * @implNote A page on a host name that resolves to 127.0.0.1 (DNS rebinding) is same-origin with
 *     the admin port as far as the browser knows, so it could read the console and send {@code
 *     X-Requested-By}. Its requests still carry its own name as {@code Host}, which is what is
 *     refused here.
 */
final class AdminOrigins {
  private final Set<String> allowedHosts;

  AdminOrigins(Set<String> allowedHosts) {
    this.allowedHosts = Set.copyOf(allowedHosts);
  }

  /** The 403 detail for a request whose {@code Host} is not answered, or null. */
  String hostRefusal(HttpServletRequest request) {
    String host = request.getHeader("Host");
    if (host == null || !allowed(hostName(host))) {
      return "the admin port answers only to localhost, loopback addresses and ADMIN_ALLOWED_HOSTS";
    }
    return null;
  }

  /** The 403 detail for a state-changing request from another origin, or null. */
  String originRefusal(HttpServletRequest request) {
    String origin = request.getHeader("Origin");
    if (origin != null && !isOwnOrigin(request, origin, request.getHeader("Host"))) {
      return "state-changing admin requests must come from the admin port's own origin";
    }
    return null;
  }

  private boolean allowed(String name) {
    return name.equals("localhost")
        || name.endsWith(".localhost")
        || isLoopbackLiteral(name)
        || allowedHosts.contains(name);
  }

  /** Same scheme, the host the request names and the port it arrived on. */
  private static boolean isOwnOrigin(HttpServletRequest request, String origin, String host) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(origin);
    } catch (java.net.URISyntaxException e) {
      return false;
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      return false; // "null" and other opaque origins
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    return uri.getScheme().equalsIgnoreCase(request.getScheme())
        && hostName(uri.getHost()).equals(hostName(host))
        && port == request.getLocalPort();
  }

  /** The host of a {@code Host} value, lower-cased, without port or IPv6 brackets. */
  static String hostName(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private static boolean isLoopbackLiteral(String name) {
    if (name.equals("::1") || name.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] octets = name.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) {
      return false;
    }
    for (String octet : octets) {
      if (!octet.matches("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])")) {
        return false;
      }
    }
    return true;
  }
}
