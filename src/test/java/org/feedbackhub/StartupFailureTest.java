package org.feedbackhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code feedback-hub server config.yml} when it cannot start: one line on stderr naming the
 * reason, and a failure the launcher turns into a non-zero exit. Settings are given as {@code dw.*}
 * system properties, the in-process stand-in for environment variables.
 */
class StartupFailureTest {
  @Test
  void emptyApiKey() {
    String stderr = serverFails(Map.of("dw.apiKey", ""));
    assertThat(stderr)
        .isEqualTo(
            "feedback-hub: API_KEY is required: set it to the bearer key clients must send\n");
  }

  @Test
  void malformedDatabaseUrlNeverShowsThePassword() {
    String stderr =
        serverFails(Map.of("dw.apiKey", "k", "dw.database.url", "postgres://u:hunter2@/feedback"));
    assertThat(stderr).isEqualTo("feedback-hub: DATABASE_URL has no host\n");
  }

  @Test
  void unreachableDatabase() {
    String stderr =
        serverFails(
            Map.of(
                "dw.apiKey", "k",
                "dw.database.url", "jdbc:postgresql://127.0.0.1:1/x",
                "dw.database.connectTimeoutSeconds", "1"));
    assertThat(stderr).startsWith("feedback-hub: cannot reach the database: ");
    assertThat(stderr.lines()).hasSize(1);
  }

  @Test
  void minAboveMaxConnections() {
    String stderr =
        serverFails(
            Map.of(
                "dw.apiKey", "k",
                "dw.database.url", "jdbc:postgresql://127.0.0.1:1/x",
                "dw.database.minConnections", "5",
                "dw.database.maxConnections", "2"));
    assertThat(stderr)
        .isEqualTo("feedback-hub: DATABASE_MIN_CONNS (5) exceeds DATABASE_MAX_CONNS (2)\n");
  }

  /** Runs {@code server config.yml} with {@code properties} set and returns its stderr. */
  private static String serverFails(Map<String, String> properties) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Optional<Throwable> failure;
    properties.forEach(System::setProperty);
    try {
      HubApplication application = new HubApplication();
      Bootstrap<HubConfiguration> bootstrap = new Bootstrap<>(application);
      application.addDefaultCommands(bootstrap);
      application.initialize(bootstrap);
      Cli cli =
          new Cli(
              new JarLocation(HubApplication.class),
              bootstrap,
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      failure = cli.run("server", "config.yml");
    } finally {
      properties.keySet().forEach(System::clearProperty);
    }
    assertThat(failure).isPresent();
    assertThat(failure.get()).isInstanceOf(StartupException.class);
    return err.toString(StandardCharsets.UTF_8);
  }
}
