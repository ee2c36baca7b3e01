package org.feedbackhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.text.StringSubstitutor;
import org.feedbackhub.db.LibpqUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code config.yml} as operators use it: every value from an environment variable. */
class HubConfigurationTest {
  /** Parses {@code config.yml} as if the process environment were {@code env}. */
  private static HubConfiguration load(Map<String, String> env) throws Exception {
    YamlConfigurationFactory<HubConfiguration> factory =
        new YamlConfigurationFactory<>(
            HubConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");
    return factory.build(
        new SubstitutingSourceProvider(
            new FileConfigurationSourceProvider(), new StringSubstitutor(env)),
        "config.yml");
  }

  @Test
  void defaults() throws Exception {
    HubConfiguration config = load(Map.of());
    assertThat(config.getApiKey()).isEmpty();
    assertThat(config.getPublicBaseUrl()).isEmpty();
    assertThat(config.getTenantPurgeLockTimeoutSeconds()).isEqualTo(5);
    assertThat(config.purgeLockTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.getDatabase().isEmbedded()).isTrue();
    assertThat(config.getDatabase().getMaxConnections()).isEqualTo(25);
    assertThat(config.getDatabase().getMinConnections()).isZero();
    assertThat(config.getDatabase().getConnectTimeoutSeconds()).isEqualTo(10);
    assertThat(config.getDatabase().getMaxConnectionLifetimeSeconds()).isEqualTo(3600);
    assertThat(config.getDatabase().getMaxConnectionIdleTimeSeconds()).isEqualTo(1800);
    assertThat(config.getDatabase().getHealthCheckPeriodSeconds()).isEqualTo(60);
    assertThat(config.getDatabase().getEmbeddedDataDirectory()).isEqualTo("./data/postgres");
    assertThat(config.getDatabase().isMigrateOnStart()).isTrue();
  }

  @Test
  void everyDatabaseVariableMapsToHikarisSetting() throws Exception {
    HubConfiguration config =
        load(
            Map.of(
                "DATABASE_URL", "postgres://u:p@db/feedback",
                "DATABASE_MAX_CONNS", "7",
                "DATABASE_MIN_CONNS", "2",
                "DATABASE_CONNECT_TIMEOUT_SECONDS", "3",
                "DATABASE_MAX_CONN_LIFETIME_SECONDS", "900",
                "DATABASE_MAX_CONN_IDLE_TIME_SECONDS", "120",
                "DATABASE_HEALTH_CHECK_PERIOD_SECONDS", "45",
                "DATABASE_APPLICATION_NAME", "hub-a"));
    HikariConfig pool = hikari(config);
    assertThat(pool.getMaximumPoolSize()).isEqualTo(7);
    assertThat(pool.getMinimumIdle()).isEqualTo(2);
    assertThat(pool.getConnectionTimeout()).isEqualTo(3_000);
    assertThat(pool.getValidationTimeout()).isEqualTo(1_500);
    assertThat(pool.getMaxLifetime()).isEqualTo(900_000);
    assertThat(pool.getIdleTimeout()).isEqualTo(120_000);
    assertThat(pool.getKeepaliveTime()).isEqualTo(45_000);
    assertThat(pool.getUsername()).isEqualTo("u");
    assertThat(pool.getDataSourceProperties())
        .containsEntry("ApplicationName", "hub-a")
        .containsEntry("connectTimeout", "3")
        .containsEntry("loginTimeout", "3");
    assertThat(pool.getInitializationFailTimeout())
        .as("the service starts while the database is unreachable")
        .isNegative();
  }

  @Test
  void valuesBelowHikarisFloorsCountAsTheFloorAndZeroLifetimeKeepsConnections() throws Exception {
    HubConfiguration config =
        load(
            Map.of(
                "DATABASE_URL", "postgres://db/feedback",
                "DATABASE_MAX_CONN_LIFETIME_SECONDS", "0",
                "DATABASE_MAX_CONN_IDLE_TIME_SECONDS", "1",
                "DATABASE_HEALTH_CHECK_PERIOD_SECONDS", "5"));
    HikariConfig pool = hikari(config);
    assertThat(pool.getMaxLifetime()).isZero();
    assertThat(pool.getIdleTimeout()).isEqualTo(10_000);
    assertThat(pool.getKeepaliveTime()).isEqualTo(30_000);
    HubConfiguration shortLived =
        load(
            Map.of(
                "DATABASE_URL", "postgres://db/feedback",
                "DATABASE_MAX_CONN_LIFETIME_SECONDS", "5"));
    assertThat(hikari(shortLived).getMaxLifetime()).isEqualTo(30_000);
    // A keep-alive no shorter than the lifetime would never run before the replacement.
    assertThat(hikari(shortLived).getKeepaliveTime()).isZero();
  }

  private static HikariConfig hikari(HubConfiguration config) {
    return config
        .getDatabase()
        .dataSourceFactory(LibpqUrl.parse(config.getDatabase().getUrl()))
        .hikariConfig("test");
  }

  @ParameterizedTest
  @CsvSource({"5, 5", "1, 1", "30, 30", "0, 5", "-1, 5", "-100, 5"})
  void purgeLockTimeoutFallsBackToFiveWhenNotPositive(String env, long expectedSeconds)
      throws Exception {
    HubConfiguration config = load(Map.of("TENANT_PURGE_LOCK_TIMEOUT_SECONDS", env));
    assertThat(config.purgeLockTimeout()).isEqualTo(Duration.ofSeconds(expectedSeconds));
  }

  @Test
  void environmentOverridesReachTheSettings() throws Exception {
    HubConfiguration config =
        load(
            Map.of(
                "API_KEY", "k",
                "PUBLIC_BASE_URL", "https://hub.example.com",
                "DATABASE_URL", "postgres://db/feedback",
                "DATABASE_MAX_CONNS", "7",
                "EMBEDDED_DB_DIR", "/var/lib/feedback-hub/pg",
                "MIGRATE_ON_START", "false"));
    assertThat(config.getApiKey()).isEqualTo("k");
    assertThat(config.getPublicBaseUrl()).isEqualTo("https://hub.example.com");
    assertThat(config.getDatabase().isEmbedded()).isFalse();
    assertThat(config.getDatabase().getMaxConnections()).isEqualTo(7);
    assertThat(config.getDatabase().getEmbeddedDataDirectory())
        .isEqualTo("/var/lib/feedback-hub/pg");
    assertThat(config.getDatabase().isMigrateOnStart()).isFalse();
  }

  @CsvSource({
    "hub.example.com",
    "ftp://hub.example.com",
    "https://hub.example.com/?x=1",
    "https://hub.example.com/#top",
    "/relative"
  })
  @ParameterizedTest
  void publicBaseUrlMustBeAnAbsoluteHttpUrl(String url) {
    assertThatThrownBy(() -> load(Map.of("PUBLIC_BASE_URL", url)))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("publicBaseUrl must be empty or an absolute http(s) URL");
  }

  @ValueSource(
      strings = {
        "WEBHOOK_DISPATCHER_POLL_INTERVAL",
        "EMBEDDING_WORKER_POLL_INTERVAL",
        "TAXONOMY_WORKER_POLL_INTERVAL"
      })
  @ParameterizedTest
  void aZeroPollIntervalIsRefusedAtLoad(String env) {
    assertThatThrownBy(() -> load(Map.of(env, "0ms")))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("pollInterval must be greater than or equal to 1 MILLISECONDS");
  }

  @Test
  void checkCommandAcceptsTheShippedConfig() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    HubApplication application = new HubApplication();
    Bootstrap<HubConfiguration> bootstrap = new Bootstrap<>(application);
    application.addDefaultCommands(bootstrap);
    application.initialize(bootstrap);
    Cli cli =
        new Cli(
            new JarLocation(HubApplication.class),
            bootstrap,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    Optional<Throwable> failure = cli.run("check", "config.yml");

    assertThat(failure).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
