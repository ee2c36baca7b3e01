package org.feedbackhub.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.feedbackhub.core.Cidr;
import org.feedbackhub.core.WebhookUrlGuard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS deliveries through the sender's own client: it connects to the checked address, names the
 * URL's host for SNI and {@code Host}, and checks the receiver's certificate against that host, so
 * a certificate for another name is refused before anything is sent.
 */
class WebhookSenderTlsTest {
  static final String HOST = "hooks.tls.test";
  static final String PASSWORD = "changeit";
  static final String KEY = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);

  @TempDir static Path folder;

  static HttpsServer receiver;
  static SSLContext trusting;
  static final ConcurrentLinkedQueue<String> serverNames = new ConcurrentLinkedQueue<>();
  static final ConcurrentLinkedQueue<String> hosts = new ConcurrentLinkedQueue<>();
  static final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
  static final ExecutorService executor = Executors.newCachedThreadPool();

  @BeforeAll
  static void start() throws Exception {
    Path keystore = folder.resolve("receiver.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "receiver",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + HOST,
                "-ext",
                "SAN=dns:" + HOST,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    SSLContext serving = SSLContext.getInstance("TLS");
    serving.init(keys.getKeyManagers(), null, null);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, trust.getTrustManagers(), null);

    receiver = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.setHttpsConfigurator(
        new HttpsConfigurator(serving) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters parameters = serving.getDefaultSSLParameters();
            parameters.setSNIMatchers(List.of(new RecordingMatcher()));
            params.setSSLParameters(parameters);
          }
        });
    receiver.createContext(
        "/tls",
        exchange -> {
          hosts.add(exchange.getRequestHeaders().getFirst("Host"));
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.setExecutor(executor);
    receiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.stop(0);
    executor.shutdownNow();
  }

  /** Records the server name each handshake asked for, and accepts it. */
  static final class RecordingMatcher extends SNIMatcher {
    RecordingMatcher() {
      super(0); // host_name
    }

    @Override
    public boolean matches(SNIServerName name) {
      serverNames.add(new String(name.getEncoded(), StandardCharsets.US_ASCII));
      return true;
    }
  }

  /** Every name resolves to loopback, where the receiver listens. */
  static final class LoopbackResolver implements WebhookUrlGuard.Resolver {
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      return new InetAddress[] {InetAddress.getLoopbackAddress()};
    }
  }

  private static WebhookUrlGuard.Target target(String host) {
    WebhookUrlGuard guard =
        new WebhookUrlGuard(
            List.of(), false, List.of(Cidr.parse("127.0.0.1/32")), new LoopbackResolver());
    WebhookUrlGuard.Target target =
        guard.check("https://" + host + ":" + receiver.getAddress().getPort() + "/tls");
    assertThat(target.problem()).isNull();
    return target;
  }

  private static WebhookSender sender() {
    return new WebhookSender(Duration.ofSeconds(10), executor, trusting.getSocketFactory());
  }

  @Test
  void anHttpsDeliveryNamesTheUrlsHostForSniAndHostAndArrivesSigned() {
    int before = bodies.size();

    WebhookSender.Result result = sender().send(target(HOST), KEY, "msg_tls", "{\"a\":1}");

    assertThat(result.succeeded()).as(result.error()).isTrue();
    assertThat(result.statusCode()).isEqualTo(204);
    assertThat(bodies).hasSize(before + 1).contains("{\"a\":1}");
    assertThat(hosts).contains(HOST + ":" + receiver.getAddress().getPort());
    assertThat(serverNames).contains(HOST);
  }

  @Test
  void aCertificateForAnotherHostIsRefusedAndNothingIsSent() {
    int before = bodies.size();

    WebhookSender.Result result =
        sender().send(target("other.tls.test"), KEY, "msg_other", "{\"b\":2}");

    assertThat(result.succeeded()).isFalse();
    assertThat(result.statusCode()).isNull();
    assertThat(result.error()).startsWith("send failed");
    assertThat(bodies).hasSize(before);
  }

  @Test
  void aReceiverTheTrustStoreDoesNotKnowIsRefused() throws IOException {
    int before = bodies.size();
    WebhookSender defaultTrust = new WebhookSender(Duration.ofSeconds(10), executor);

    WebhookSender.Result result = defaultTrust.send(target(HOST), KEY, "msg_untrusted", "{}");

    assertThat(result.succeeded()).isFalse();
    assertThat(result.error()).startsWith("send failed");
    assertThat(bodies).hasSize(before);
  }
}
