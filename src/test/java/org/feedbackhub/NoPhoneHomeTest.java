package org.feedbackhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.feedbackhub.db.SchemaMigrator;
import org.feedbackhub.embeddings.LocalEmbeddingProvider;
import org.feedbackhub.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * feedback-hub opens connections only to loopback, its database and configured endpoints: libraries
 * that report usage (Liquibase's analytics) are switched off before they load.
 *
 * @implNote URL connections and the JDK HTTP client ask the default {@link ProxySelector} for every
 *     URI they open; a recording selector therefore sees any attempt to phone home, and answers
 *     with a dead loopback proxy so that nothing leaves the machine even if one is made.
 */
class NoPhoneHomeTest {
  private final List<URI> requested = new CopyOnWriteArrayList<>();
  private ProxySelector original;

  @BeforeEach
  void recordOutboundUris() {
    original = ProxySelector.getDefault();
    ProxySelector.setDefault(
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            if (isLoopback(uri.getHost())) {
              return List.of(Proxy.NO_PROXY);
            }
            requested.add(uri);
            return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", 1)));
          }

          @Override
          public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        });
  }

  private static boolean isLoopback(String host) {
    return host != null
        && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
  }

  @AfterEach
  void restore() {
    ProxySelector.setDefault(original);
  }

  @Test
  void liquibaseAnalyticsAreOffAndAMigrationOpensNoOutboundUrl() {
    Telemetry.disable();
    assertThat(liquibase.analytics.configuration.AnalyticsArgs.ENABLED.getCurrentValue()).isFalse();
    SchemaMigrator.migrate(TestDatabase.get().dataSource());
    assertThat(requested).isEmpty();
  }

  @Test
  void djlTrackingIsOptedOutBeforeAnyLibraryLoads() {
    Telemetry.disable();
    assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
  }

  /**
   * DJL's one phone-home path is {@code Ec2Utils.callHome}: unless tracking is opted out it stamps
   * {@code lastCheckIn} and then asks the cloud metadata address. Loading and running the local
   * model, then calling it directly, leaves the stamp at 0 and opens no outbound URL.
   */
  @Test
  void theLocalEmbeddingModelLoadsAndRunsWithoutAnOutboundUrl() throws Exception {
    Path cache = Files.createTempDirectory("djl-cache");
    try (LocalEmbeddingProvider model = LocalEmbeddingProvider.load(cache)) {
      assertThat(model.embed(List.of("is anyone listening?")).get(0)).hasSize(384);
    }
    assertThat(ai.djl.util.Utils.getEnvOrSystemProperty("OPT_OUT_TRACKING")).isEqualTo("true");
    ai.djl.util.Ec2Utils.callHome("feedback-hub");
    Field lastCheckIn = ai.djl.util.Ec2Utils.class.getDeclaredField("lastCheckIn");
    lastCheckIn.setAccessible(true);
    assertThat(lastCheckIn.getLong(null)).isZero();
    assertThat(requested).isEmpty();
    assertThat(Path.of(System.getProperty("user.home"), ".djl.ai")).doesNotExist();
  }
}
