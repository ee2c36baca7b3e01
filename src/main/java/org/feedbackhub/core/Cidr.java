package org.feedbackhub.core;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code fc00::/7}. */
public record Cidr(byte[] network, int prefixLength) {
  /**
   * Parses {@code a.b.c.d/n} or {@code v6::/n} (a bare address is a single-address block).
   *
   * @throws IllegalArgumentException when {@code text} is not an address block
   */
  public static Cidr parse(String text) {
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    if (!address.contains(":") && !WebhookUrlGuard.isCanonicalIpv4(address)) {
      throw new IllegalArgumentException("not an IP address block: " + text);
    }
    byte[] bytes;
    try {
      // A literal, never a name: only digits, dots, colons and hex digits reach this line.
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException | SecurityException e) {
      throw new IllegalArgumentException("not an IP address block: " + text, e);
    }
    if (address.contains(":") && bytes.length == 4) {
      throw new IllegalArgumentException("write IPv4-mapped blocks as IPv4: " + text);
    }
    int prefix;
    try {
      prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an IP address block: " + text, e);
    }
    if (prefix < 0 || prefix > bytes.length * 8) {
      throw new IllegalArgumentException("prefix length out of range: " + text);
    }
    return new Cidr(bytes, prefix);
  }

  /** Whether {@code address} (of the same family) lies in this block. */
  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (candidate[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (candidate[full] & mask) == (network[full] & mask);
  }
}
