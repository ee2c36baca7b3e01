package org.feedbackhub.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

public class WebhookUrlGuardTest {
  static final List<String> DEFAULT_BLACKLIST =
      List.of("localhost", "127.0.0.1", "::1", "169.254.169.254");

  @Test
  void refusesInternalAddressesByDefault() {
    WebhookUrlGuard guard = new WebhookUrlGuard(List.of(), false);
    for (String url :
        List.of(
            "http://127.0.0.1:8080/x",
            "http://10.1.2.3/x",
            "http://172.16.0.1/x",
            "http://192.168.1.1/x",
            "http://169.254.1.1/x",
            "http://0.0.0.0/x",
            "http://[::1]/x",
            "http://[fe80::1]/x",
            "http://[fd00::1]/x",
            "http://[::ffff:127.0.0.1]/x")) {
      assertThat(guard.targetProblem(url)).as(url).isEqualTo(WebhookUrlGuard.REFUSED_TARGET);
    }
    assertThat(guard.targetProblem("http://8.8.8.8/hook")).isNull();
  }

  @Test
  void allowPrivateTargetsLiftsTheAddressRuleButNotTheBlacklist() {
    WebhookUrlGuard guard = new WebhookUrlGuard(DEFAULT_BLACKLIST, true);
    assertThat(guard.targetProblem("http://10.1.2.3/x")).isNull();
    assertThat(guard.targetProblem("http://127.0.0.1/x")).isEqualTo(WebhookUrlGuard.REFUSED_TARGET);
    assertThat(guard.targetProblem("http://LOCALHOST:9/x"))
        .isEqualTo(WebhookUrlGuard.REFUSED_TARGET);
    assertThat(guard.targetProblem("http://[0:0:0:0:0:0:0:1]/x"))
        .isEqualTo(WebhookUrlGuard.REFUSED_TARGET);
    assertThat(guard.targetProblem("http://169.254.169.254/latest"))
        .isEqualTo(WebhookUrlGuard.REFUSED_TARGET);
  }

  @Test
  void onlyAbsoluteHttpUrlsWithAHostAreWellFormed() {
    WebhookUrlGuard guard = new WebhookUrlGuard(List.of(), true);
    assertThat(guard.syntaxProblem("https://example.com/hook")).isNull();
    assertThat(guard.syntaxProblem("HTTP://example.com")).isNull();
    for (String url : List.of("ftp://example.com", "example.com/x", "http://", "http:///x", "")) {
      assertThat(guard.syntaxProblem(url)).as(url).isEqualTo(WebhookUrlGuard.INVALID_URL);
    }
  }

  /** One address of every refused range, and why: the SSRF table. */
  public static final List<String> REFUSED_BY_DEFAULT =
      List.of(
          "0.1.2.3", // this network
          "100.64.0.1", // shared address space
          "100.100.100.200", // Alibaba Cloud metadata
          "192.0.0.192", // Oracle Cloud metadata
          "192.0.0.8", // IETF protocol assignments
          "192.0.2.1", // TEST-NET-1
          "198.51.100.1", // TEST-NET-2
          "203.0.113.1", // TEST-NET-3
          "198.18.0.1", // benchmarking
          "198.19.255.254", // benchmarking
          "192.88.99.1", // 6to4 relay
          "224.0.0.1", // multicast
          "240.0.0.1", // reserved
          "255.255.255.255", // broadcast
          "[64:ff9b::a9fe:a9fe]", // NAT64 of 169.254.169.254
          "[64:ff9b::127.0.0.1]", // NAT64 of loopback
          "[::127.0.0.1]", // IPv4-compatible
          "[::169.254.169.254]", // IPv4-compatible
          "[::ffff:0:127.0.0.1]", // IPv4-translated
          "[::ffff:169.254.169.254]", // IPv4-mapped
          "[2002:7f00:1::]", // 6to4 of loopback
          "[2002:808:808::1]", // 6to4 of a public address: the 6to4 range itself
          "[2001:0:4136:e378:8000:63bf:80ff:fffe]", // Teredo, client 127.0.0.1
          "[2001:db8::1]", // documentation
          "[100::1]", // discard-only
          "[ff02::1]", // multicast
          "[fd00:ec2::254]", // AWS metadata over IPv6
          "[::]", // unspecified
          "0177.0.0.1", // octal loopback to other stacks
          "127.000.000.001", // zero-padded
          "010.0.0.1", // leading zero
          "0x7f.0.0.1", // hexadecimal
          "2130706433", // one number
          "127.1"); // shortened

  @Test
  void refusesEverySpecialPurposeRangeAndEveryAmbiguousLiteral() {
    WebhookUrlGuard guard = new WebhookUrlGuard(List.of(), false);
    for (String host : REFUSED_BY_DEFAULT) {
      // Java's URI parser already refuses some forms as URLs (0x7f.0.0.1): refused either way.
      assertThat(guard.targetProblem("http://" + host + "/hook"))
          .as(host)
          .isIn(WebhookUrlGuard.REFUSED_TARGET, WebhookUrlGuard.INVALID_URL);
    }
    assertThat(guard.targetProblem("http://deadbeef.cafe/hook"))
        .as("a name of hex letters is a name")
        .isNotEqualTo(WebhookUrlGuard.REFUSED_TARGET);
    for (String host :
        List.of("8.8.8.8", "1.1.1.1", "[2606:4700:4700::1111]", "[64:ff9b::808:808]")) {
      assertThat(guard.targetProblem("http://" + host + "/hook")).as(host).isNull();
    }
  }

  @Test
  void allowPrivateTargetsLiftsOnlyPrivateLoopbackAndLinkLocal() {
    WebhookUrlGuard guard = new WebhookUrlGuard(List.of(), true);
    for (String host :
        List.of(
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.1.1",
            "[::1]",
            "[fd12::1]",
            "[fe80::1]",
            "[64:ff9b::10.0.0.1]")) {
      assertThat(guard.targetProblem("http://" + host + "/x")).as(host).isNull();
    }
    for (String host :
        List.of(
            "169.254.169.254",
            "100.100.100.200",
            "192.0.0.192",
            "[fd00:ec2::254]",
            "[64:ff9b::169.254.169.254]",
            "100.64.0.1",
            "198.18.0.1",
            "0177.0.0.1")) {
      assertThat(guard.targetProblem("http://" + host + "/x"))
          .as(host)
          .isEqualTo(WebhookUrlGuard.REFUSED_TARGET);
    }
  }

  @Test
  void allowedCidrsRePermitTheirRangesButNeverMetadataOrTheBlacklist() {
    WebhookUrlGuard guard =
        new WebhookUrlGuard(
            List.of("10.9.9.9"),
            false,
            List.of(
                Cidr.parse("10.0.0.0/8"),
                Cidr.parse("100.64.0.0/10"),
                Cidr.parse("169.254.0.0/16")),
            java.net.InetAddress::getAllByName);
    assertThat(guard.targetProblem("http://10.20.30.40/x")).isNull();
    assertThat(guard.targetProblem("http://100.64.1.1/x")).isNull();
    assertThat(guard.targetProblem("http://[64:ff9b::10.1.1.1]/x")).isNull();
    assertThat(guard.targetProblem("http://192.168.1.1/x"))
        .isEqualTo(WebhookUrlGuard.REFUSED_TARGET);
    assertThat(guard.targetProblem("http://10.9.9.9/x")).isEqualTo(WebhookUrlGuard.REFUSED_TARGET);
    assertThat(guard.targetProblem("http://169.254.169.254/x"))
        .isEqualTo(WebhookUrlGuard.REFUSED_TARGET);
    assertThat(guard.targetProblem("http://100.100.100.200/x"))
        .isEqualTo(WebhookUrlGuard.REFUSED_TARGET);
  }

  @Test
  void cidrsParseOrRefuse() {
    assertThat(Cidr.parse("10.0.0.0/8").contains(addr("10.255.0.1"))).isTrue();
    assertThat(Cidr.parse("10.0.0.0/8").contains(addr("11.0.0.1"))).isFalse();
    assertThat(Cidr.parse("fc00::/7").contains(addr("fdff::1"))).isTrue();
    assertThat(Cidr.parse("192.168.1.7").contains(addr("192.168.1.7"))).isTrue();
    for (String bad :
        List.of(
            "10.0.0.0/33",
            "10.0.0/8",
            "example.com/8",
            "010.0.0.0/8",
            "::/129",
            "10.0.0.0/x",
            "")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cidr.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aHostIsResolvedOnceAndTheCheckedAddressesAreHandedOn() {
    java.util.concurrent.atomic.AtomicInteger lookups =
        new java.util.concurrent.atomic.AtomicInteger();
    WebhookUrlGuard guard =
        new WebhookUrlGuard(
            List.of(),
            false,
            List.of(),
            host -> {
              lookups.incrementAndGet();
              return new java.net.InetAddress[] {addr("8.8.4.4")};
            });
    WebhookUrlGuard.Target target = guard.check("https://hooks.example.test/x");
    assertThat(target.problem()).isNull();
    assertThat(target.addresses()).containsExactly(addr("8.8.4.4"));
    assertThat(target.port()).isEqualTo(443);
    assertThat(lookups.get()).isEqualTo(1);
  }

  private static java.net.InetAddress addr(String literal) {
    try {
      return java.net.InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
