package org.feedbackhub.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookUrlGuardTest {
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
}
