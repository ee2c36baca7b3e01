package org.feedbackhub.core;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The address blocks a webhook must not reach, from IANA's IPv4 and IPv6 special-purpose address
 * registries (plus multicast and the cloud metadata endpoints), and the IPv4 address embedded in
 * the IPv6 forms that carry one.
 */
final class SpecialPurposeAddresses {
  /** Why a block is refused, which decides what may lift the refusal. */
  enum Kind {
    /** Loopback, private and link-local: lifted by {@code WEBHOOK_ALLOW_PRIVATE_TARGETS}. */
    PRIVATE,
    /** Every other special-purpose block: lifted only by {@code WEBHOOK_ALLOWED_CIDRS}. */
    SPECIAL,
    /** Cloud instance metadata services: never lifted. */
    METADATA
  }

  /** One row of the table. */
  record Block(Cidr cidr, Kind kind, String name) {}

  private static final List<Block> BLOCKS =
      List.of(
          // Instance metadata first: they lie inside blocks that may be lifted.
          block("169.254.169.254/32", Kind.METADATA, "cloud metadata (AWS, GCP, Azure, ...)"),
          block("169.254.170.2/32", Kind.METADATA, "AWS ECS task metadata"),
          block("100.100.100.200/32", Kind.METADATA, "Alibaba Cloud metadata"),
          block("192.0.0.192/32", Kind.METADATA, "Oracle Cloud metadata"),
          block("fd00:ec2::254/128", Kind.METADATA, "AWS metadata over IPv6"),
          // IANA IPv4 special-purpose address registry
          block("0.0.0.0/8", Kind.SPECIAL, "this network"),
          block("10.0.0.0/8", Kind.PRIVATE, "private-use"),
          block("100.64.0.0/10", Kind.SPECIAL, "shared address space (CGN)"),
          block("127.0.0.0/8", Kind.PRIVATE, "loopback"),
          block("169.254.0.0/16", Kind.PRIVATE, "link-local"),
          block("172.16.0.0/12", Kind.PRIVATE, "private-use"),
          block("192.0.0.0/24", Kind.SPECIAL, "IETF protocol assignments"),
          block("192.0.2.0/24", Kind.SPECIAL, "documentation (TEST-NET-1)"),
          block("192.31.196.0/24", Kind.SPECIAL, "AS112-v4"),
          block("192.52.193.0/24", Kind.SPECIAL, "AMT"),
          block("192.88.99.0/24", Kind.SPECIAL, "6to4 relay anycast"),
          block("192.168.0.0/16", Kind.PRIVATE, "private-use"),
          block("192.175.48.0/24", Kind.SPECIAL, "direct delegation AS112"),
          block("198.18.0.0/15", Kind.SPECIAL, "benchmarking"),
          block("198.51.100.0/24", Kind.SPECIAL, "documentation (TEST-NET-2)"),
          block("203.0.113.0/24", Kind.SPECIAL, "documentation (TEST-NET-3)"),
          block("224.0.0.0/4", Kind.SPECIAL, "multicast"),
          block("240.0.0.0/4", Kind.SPECIAL, "reserved"),
          block("255.255.255.255/32", Kind.SPECIAL, "limited broadcast"),
          // IANA IPv6 special-purpose address registry
          block("::1/128", Kind.PRIVATE, "loopback"),
          block("::/128", Kind.SPECIAL, "unspecified"),
          block("::/96", Kind.SPECIAL, "IPv4-compatible (deprecated)"),
          block("::ffff:0:0:0/96", Kind.SPECIAL, "IPv4-translated"),
          block("64:ff9b:1::/48", Kind.SPECIAL, "local-use IPv4/IPv6 translation"),
          block("100::/64", Kind.SPECIAL, "discard-only"),
          block("2001::/23", Kind.SPECIAL, "IETF protocol assignments (Teredo included)"),
          block("2001:db8::/32", Kind.SPECIAL, "documentation"),
          block("2002::/16", Kind.SPECIAL, "6to4"),
          block("3fff::/20", Kind.SPECIAL, "documentation"),
          block("5f00::/16", Kind.SPECIAL, "segment routing SIDs"),
          block("fc00::/7", Kind.PRIVATE, "unique-local"),
          block("fe80::/10", Kind.PRIVATE, "link-local"),
          block("fec0::/10", Kind.PRIVATE, "site-local (deprecated)"),
          block("ff00::/8", Kind.SPECIAL, "multicast"));

  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr COMPATIBLE = Cidr.parse("::/96");
  private static final Cidr TRANSLATED = Cidr.parse("::ffff:0:0:0/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
  private static final Cidr TEREDO = Cidr.parse("2001::/32");

  private SpecialPurposeAddresses() {}

  private static Block block(String cidr, Kind kind, String name) {
    return new Block(Cidr.parse(cidr), kind, name);
  }

  /** The first block {@code address} lies in, or empty when it is an ordinary address. */
  static Optional<Block> blockOf(InetAddress address) {
    for (Block block : BLOCKS) {
      if (block.cidr().contains(address)) {
        return Optional.of(block);
      }
    }
    return Optional.empty();
  }

  /**
   * The IPv4 address an IPv6 address carries: NAT64 ({@code 64:ff9b::a.b.c.d}), IPv4-compatible
   * ({@code ::a.b.c.d}), IPv4-translated ({@code ::ffff:0:a.b.c.d}), 6to4 ({@code
   * 2002:AABB:CCDD::}) and Teredo (the client address, inverted, in the last 32 bits). IPv4-mapped
   * addresses arrive as {@link Inet4Address} already.
   */
  static Optional<InetAddress> embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return Optional.empty();
    }
    byte[] b = address.getAddress();
    boolean unspecifiedOrLoopback = b[12] == 0 && b[13] == 0 && b[14] == 0;
    if (NAT64.contains(address)
        || (COMPATIBLE.contains(address) && !unspecifiedOrLoopback)
        || TRANSLATED.contains(address)) {
      return ipv4(b[12], b[13], b[14], b[15]);
    }
    if (SIX_TO_FOUR.contains(address)) {
      return ipv4(b[2], b[3], b[4], b[5]);
    }
    if (TEREDO.contains(address)) {
      return ipv4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]);
    }
    return Optional.empty();
  }

  private static Optional<InetAddress> ipv4(byte a, byte b, byte c, byte d) {
    try {
      return Optional.of(InetAddress.getByAddress(new byte[] {a, b, c, d}));
    } catch (UnknownHostException impossible) {
      return Optional.empty();
    }
  }
}
