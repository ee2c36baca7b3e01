package org.feedbackhub.core;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The SSRF guard for webhook targets, applied at create, at update and again before every delivery:
 * a URL must be http(s) with a host; the host must not be blacklisted, and unless private targets
 * are allowed, none of the addresses it resolves to may be loopback, private, link-local,
 * unspecified or multicast. The blacklist applies even when private targets are allowed.
 *
 * @implNote The HTTP client resolves the host again when it connects, so a DNS answer that changes
 *     between the check and the connection (DNS rebinding) is not caught here; the check at
 *     delivery time narrows the window to one request.
 */
public final class WebhookUrlGuard {
  /** The reason for a URL that is not an absolute http(s) URL with a host. */
  public static final String INVALID_URL = "must be a valid HTTP or HTTPS URL";

  /** The reason for a refused target. */
  public static final String REFUSED_TARGET =
      "must not target a loopback, private, link-local or blacklisted address";

  /** The reason for a host that does not resolve. */
  public static final String UNRESOLVABLE = "host could not be resolved";

  private final Set<String> blacklistedHosts;
  private final Set<InetAddress> blacklistedAddresses;
  private final boolean allowPrivateTargets;

  public WebhookUrlGuard(List<String> blacklist, boolean allowPrivateTargets) {
    this.allowPrivateTargets = allowPrivateTargets;
    this.blacklistedHosts = new HashSet<>();
    this.blacklistedAddresses = new HashSet<>();
    for (String entry : blacklist) {
      String host = stripBrackets(entry.toLowerCase(Locale.ROOT));
      blacklistedHosts.add(host);
      literal(host).ifPresent(blacklistedAddresses::add);
    }
  }

  /** The reason {@code url} is not a well-formed http(s) URL, or null when it is. */
  public String syntaxProblem(String url) {
    return host(url) == null ? INVALID_URL : null;
  }

  /**
   * The reason {@code url} must not be called, or null when it may: syntax, blacklist, then the
   * addresses its host resolves to. Resolves DNS, so it can take as long as a lookup.
   */
  public String targetProblem(String url) {
    String host = host(url);
    if (host == null) {
      return INVALID_URL;
    }
    if (blacklistedHosts.contains(host)) {
      return REFUSED_TARGET;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return UNRESOLVABLE;
    }
    for (InetAddress address : addresses) {
      if (blacklistedAddresses.contains(address)) {
        return REFUSED_TARGET;
      }
      if (!allowPrivateTargets && isInternal(address)) {
        return REFUSED_TARGET;
      }
    }
    return null;
  }

  /** Loopback, RFC 1918 / unique-local, link-local, unspecified or multicast. */
  static boolean isInternal(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isSiteLocalAddress()
        || address.isLinkLocalAddress()
        || address.isAnyLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    // fc00::/7 (unique local) is IPv6's private range; Java's isSiteLocalAddress covers only
    // fec0::/10.
    return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
  }

  private static String host(String url) {
    if (url == null) {
      return null;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null
          || uri.getHost().isEmpty()) {
        return null;
      }
      return stripBrackets(uri.getHost().toLowerCase(Locale.ROOT));
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** The address of an IP literal (no DNS lookup), or empty for a name. */
  private static Optional<InetAddress> literal(String host) {
    boolean ipv4 = host.matches("[0-9.]+");
    boolean ipv6 = host.contains(":");
    if (!ipv4 && !ipv6) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(host));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
