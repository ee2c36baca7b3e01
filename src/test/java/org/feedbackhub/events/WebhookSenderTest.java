package org.feedbackhub.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.feedbackhub.core.Cidr;
import org.feedbackhub.core.WebhookUrlGuard;
import org.feedbackhub.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding: a delivery goes to the address the guard checked, resolved once per attempt, with
 * the URL's host name as {@code Host}, whatever the resolver answers afterwards.
 */
class WebhookSenderTest {
  static final WebhookReceiver RECEIVER = new WebhookReceiver();
  static final String KEY = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);

  @AfterAll
  static void stop() {
    RECEIVER.close();
  }

  /** Answers {@code first} on the first lookup and {@code later} on every other. */
  static final class RebindingResolver implements WebhookUrlGuard.Resolver {
    final AtomicInteger lookups = new AtomicInteger();
    final String first;
    final String later;

    RebindingResolver(String first, String later) {
      this.first = first;
      this.later = later;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      String answer = lookups.getAndIncrement() == 0 ? first : later;
      return new InetAddress[] {InetAddress.getByName(answer)};
    }
  }

  private static WebhookUrlGuard guard(RebindingResolver resolver) {
    // The receiver listens on loopback: permitted here by WEBHOOK_ALLOWED_CIDRS.
    return new WebhookUrlGuard(List.of(), false, List.of(Cidr.parse("127.0.0.1/32")), resolver);
  }

  private static String url(String host) {
    URI receiver = URI.create(RECEIVER.url("rebind"));
    return "http://" + host + ":" + receiver.getPort() + "/rebind";
  }

  @Test
  void aDeliveryConnectsToTheCheckedAddressNotToALaterAnswer() {
    RebindingResolver resolver = new RebindingResolver("127.0.0.1", "169.254.169.254");
    WebhookSender sender =
        new WebhookSender(Duration.ofSeconds(5), Executors.newCachedThreadPool());
    WebhookUrlGuard.Target target = guard(resolver).check(url("hooks.rebind.test"));
    assertThat(target.problem()).isNull();

    WebhookSender.Result result = sender.send(target, KEY, "msg_1", "{\"a\":1}");

    assertThat(result.succeeded()).as(result.error()).isTrue();
    assertThat(resolver.lookups.get()).isEqualTo(1);
    List<WebhookReceiver.Request> received = RECEIVER.received("rebind");
    assertThat(received).isNotEmpty();
    WebhookReceiver.Request request = received.get(received.size() - 1);
    assertThat(request.host()).isEqualTo("hooks.rebind.test:" + URI.create(url("x")).getPort());
    assertThat(request.isSignedWith(KEY)).isTrue();
    assertThat(request.body()).isEqualTo("{\"a\":1}");
  }

  @Test
  void aHostThatFirstAnswersARefusedAddressIsNeverCalled() {
    RebindingResolver resolver = new RebindingResolver("169.254.169.254", "127.0.0.1");
    int before = RECEIVER.received("rebind").size();
    WebhookUrlGuard.Target target = guard(resolver).check(url("evil.rebind.test"));
    assertThat(target.problem()).isEqualTo(WebhookUrlGuard.REFUSED_TARGET);
    assertThat(RECEIVER.received("rebind")).hasSize(before);
  }

  @Test
  void eachAttemptResolvesAgainAndIsCheckedAgain() {
    RebindingResolver resolver = new RebindingResolver("127.0.0.1", "10.0.0.1");
    WebhookUrlGuard guard = guard(resolver);
    assertThat(guard.check(url("again.rebind.test")).problem()).isNull();
    assertThat(guard.check(url("again.rebind.test")).problem())
        .isEqualTo(WebhookUrlGuard.REFUSED_TARGET);
  }
}
