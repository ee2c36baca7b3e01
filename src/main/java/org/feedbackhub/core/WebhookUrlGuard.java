package org.feedbackhub.core;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SSRF guard for webhook targets, applied at create, at update and again before every delivery:
 * a URL must be http(s) with a host; the host must not be blacklisted, and none of the addresses it
 * resolves to may lie in a special-purpose block ({@link SpecialPurposeAddresses}), the IPv4
 * address embedded in an IPv6 one included. {@code WEBHOOK_ALLOW_PRIVATE_TARGETS} lifts loopback,
 * private and link-local blocks; {@code WEBHOOK_ALLOWED_CIDRS} re-permits any block it names. The
 * blacklist and the cloud metadata addresses are refused whatever the settings.
 *
 * @implNote {@link #check} resolves the host once and hands back the addresses it checked; the
 *     sender connects to exactly those (with the URL's host as Host and TLS server name), so a DNS
 *     answer that changes after the check (DNS rebinding) is never used. IPv4 literals are accepted
 *     only as four decimal octets without leading zeros: {@code 0177.0.0.1} is loopback to other
 *     HTTP stacks, {@code 177.0.0.1} to Java.
 */
public final class WebhookUrlGuard {
  /** The reason for a URL that is not an absolute http(s) URL with a host. */
  public static final String INVALID_URL = "must be a valid HTTP or HTTPS URL";

  /** The reason for a refused target. */
  public static final String REFUSED_TARGET =
      "must not target a loopback, private, link-local, special-purpose or blacklisted address";

  /** The reason for a host that does not resolve. */
  public static final String UNRESOLVABLE = "host could not be resolved";

  /** A host every label of which is a number, as some stacks read IPv4 (octal, hex, short). */
  private static final Pattern NUMERIC_HOST =
      Pattern.compile("((0[xX][0-9a-fA-F]*|[0-9]+)\\.){0,3}(0[xX][0-9a-fA-F]*|[0-9]+)\\.?");

  private static final Pattern CANONICAL_IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

  /** Looks a host name up; the system resolver unless a test gives its own. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** A checked URL: the problem, or the addresses that may be connected to. */
  public record Target(URI uri, String host, List<InetAddress> addresses, String problem) {
    public boolean refused() {
      return problem != null;
    }

    /** The port to connect to: the URL's, or the scheme's default. */
    public int port() {
      if (uri.getPort() >= 0) {
        return uri.getPort();
      }
      return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    static Target refused(String problem) {
      return new Target(null, null, List.of(), problem);
    }
  }

  private final Set<String> blacklistedHosts;
  private final Set<InetAddress> blacklistedAddresses;
  private final boolean allowPrivateTargets;
  private final List<Cidr> allowedCidrs;
  private final Resolver resolver;

  public WebhookUrlGuard(List<String> blacklist, boolean allowPrivateTargets) {
    this(blacklist, allowPrivateTargets, List.of(), InetAddress::getAllByName);
  }

  /**
   * @param allowedCidrs blocks whose addresses are permitted although a special-purpose block
   *     contains them (never the metadata addresses or the blacklist)
   */
  public WebhookUrlGuard(
      List<String> blacklist,
      boolean allowPrivateTargets,
      List<Cidr> allowedCidrs,
      Resolver resolver) {
    this.allowPrivateTargets = allowPrivateTargets;
    this.allowedCidrs = List.copyOf(allowedCidrs);
    this.resolver = resolver;
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
    return check(url).problem();
  }

  /** Checks {@code url} and resolves its host once: the addresses a delivery may connect to. */
  public Target check(String url) {
    String host = host(url);
    if (host == null) {
      return Target.refused(INVALID_URL);
    }
    if (blacklistedHosts.contains(host)) {
      return Target.refused(REFUSED_TARGET);
    }
    boolean ipv6Literal = host.contains(":");
    if (!ipv6Literal && NUMERIC_HOST.matcher(host).matches() && !isCanonicalIpv4(host)) {
      // Octal, hexadecimal, shortened or zero-padded IPv4: each stack reads these differently.
      return Target.refused(REFUSED_TARGET);
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException | SecurityException e) {
      return Target.refused(UNRESOLVABLE);
    }
    if (addresses == null || addresses.length == 0) {
      return Target.refused(UNRESOLVABLE);
    }
    for (InetAddress address : addresses) {
      if (refuses(address)) {
        return Target.refused(REFUSED_TARGET);
      }
    }
    return new Target(URI.create(url), host, List.of(addresses), null);
  }

  /** Whether a delivery must not connect to {@code address}. */
  boolean refuses(InetAddress address) {
    List<InetAddress> views = new ArrayList<>(2);
    views.add(address);
    SpecialPurposeAddresses.embeddedIpv4(address).ifPresent(views::add);
    for (InetAddress view : views) {
      if (blacklistedAddresses.contains(view)) {
        return true;
      }
      Optional<SpecialPurposeAddresses.Block> block = SpecialPurposeAddresses.blockOf(view);
      if (block.isPresent() && block.get().kind() == SpecialPurposeAddresses.Kind.METADATA) {
        return true;
      }
    }
    if (views.stream().anyMatch(v -> allowedCidrs.stream().anyMatch(c -> c.contains(v)))) {
      return false;
    }
    for (InetAddress view : views) {
      Optional<SpecialPurposeAddresses.Block> block = SpecialPurposeAddresses.blockOf(view);
      if (block.isPresent()
          && !(allowPrivateTargets && block.get().kind() == SpecialPurposeAddresses.Kind.PRIVATE)) {
        return true;
      }
    }
    return false;
  }

  /** Four decimal octets, each 0..255 without a leading zero. */
  static boolean isCanonicalIpv4(String host) {
    return CANONICAL_IPV4.matcher(host).matches();
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
    boolean ipv4 = isCanonicalIpv4(host);
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
