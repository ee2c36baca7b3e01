package org.feedbackhub.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Database settings: an external PostgreSQL named by {@code DATABASE_URL}, or the embedded one with
 * its data in {@code embeddedDataDirectory} when the URL is empty.
 */
public class DatabaseFactory {
  @NotNull private String url = "";

  @Min(1)
  @Max(1000)
  private int maxConnections = 25;

  @Min(0)
  private int minConnections = 0;

  @Min(1)
  private int connectTimeoutSeconds = 10;

  @Min(0)
  private int maxConnectionLifetimeSeconds = 3600;

  @Min(1)
  private int maxConnectionIdleTimeSeconds = 1800;

  @Min(1)
  private int healthCheckPeriodSeconds = 60;

  @NotNull private String applicationName = "feedback-hub";

  @NotNull private String embeddedDataDirectory = "./data/postgres";

  @Min(0)
  @Max(65535)
  private int embeddedPort = 0;

  private boolean migrateOnStart = true;

  @JsonProperty
  public String getUrl() {
    return url;
  }

  @JsonProperty
  public void setUrl(String url) {
    this.url = url == null ? "" : url.trim();
  }

  @JsonProperty
  public int getMaxConnections() {
    return maxConnections;
  }

  @JsonProperty
  public void setMaxConnections(int maxConnections) {
    this.maxConnections = maxConnections;
  }

  @JsonProperty
  public int getMinConnections() {
    return minConnections;
  }

  @JsonProperty
  public void setMinConnections(int minConnections) {
    this.minConnections = minConnections;
  }

  @JsonProperty
  public int getConnectTimeoutSeconds() {
    return connectTimeoutSeconds;
  }

  @JsonProperty
  public void setConnectTimeoutSeconds(int connectTimeoutSeconds) {
    this.connectTimeoutSeconds = connectTimeoutSeconds;
  }

  @JsonProperty
  public int getMaxConnectionLifetimeSeconds() {
    return maxConnectionLifetimeSeconds;
  }

  @JsonProperty
  public void setMaxConnectionLifetimeSeconds(int seconds) {
    this.maxConnectionLifetimeSeconds = seconds;
  }

  @JsonProperty
  public int getMaxConnectionIdleTimeSeconds() {
    return maxConnectionIdleTimeSeconds;
  }

  @JsonProperty
  public void setMaxConnectionIdleTimeSeconds(int seconds) {
    this.maxConnectionIdleTimeSeconds = seconds;
  }

  @JsonProperty
  public int getHealthCheckPeriodSeconds() {
    return healthCheckPeriodSeconds;
  }

  @JsonProperty
  public void setHealthCheckPeriodSeconds(int seconds) {
    this.healthCheckPeriodSeconds = seconds;
  }

  @JsonProperty
  public String getApplicationName() {
    return applicationName;
  }

  @JsonProperty
  public void setApplicationName(String applicationName) {
    this.applicationName = applicationName;
  }

  @JsonProperty
  public String getEmbeddedDataDirectory() {
    return embeddedDataDirectory;
  }

  @JsonProperty
  public void setEmbeddedDataDirectory(String embeddedDataDirectory) {
    this.embeddedDataDirectory = embeddedDataDirectory;
  }

  @JsonProperty
  public int getEmbeddedPort() {
    return embeddedPort;
  }

  @JsonProperty
  public void setEmbeddedPort(int embeddedPort) {
    this.embeddedPort = embeddedPort;
  }

  @JsonProperty
  public boolean isMigrateOnStart() {
    return migrateOnStart;
  }

  @JsonProperty
  public void setMigrateOnStart(boolean migrateOnStart) {
    this.migrateOnStart = migrateOnStart;
  }

  public boolean isEmbedded() {
    return url.isEmpty();
  }

  public Path embeddedDataPath() {
    return Path.of(embeddedDataDirectory);
  }

  /**
   * The HikariCP pool settings for {@code address}.
   *
   * @param address where the database is: parsed from {@code url}, or the embedded server's
   * @implNote Each {@code DATABASE_*} setting maps to one of Hikari's: {@code maxConnections} to
   *     {@code maximumPoolSize}; {@code minConnections} to {@code minimumIdle} (idle connections
   *     kept ready); {@code connectTimeoutSeconds} to the driver's connect and login timeouts and
   *     to {@code connectionTimeout}, the wait for a pooled connection (the validation check gets
   *     half of it); {@code maxConnectionLifetimeSeconds} to {@code maxLifetime}; {@code
   *     maxConnectionIdleTimeSeconds} to {@code idleTimeout}; {@code healthCheckPeriodSeconds} to
   *     {@code keepaliveTime}, the period at which each idle connection is checked in the
   *     background. Hikari's floors apply (lifetime and keep-alive 30 s, idle time 10 s), so a
   *     smaller value counts as the floor instead of being replaced by Hikari's default. Recovery
   *     after the database restarts: a borrowed connection idle for more than 500 ms is checked
   *     first, so a connection broken by an outage is replaced before a request sees it; a request
   *     during an outage waits at most {@code connectTimeoutSeconds} and fails (503) instead of
   *     hanging.
   */
  public HikariPoolFactory dataSourceFactory(LibpqUrl address) {
    if (minConnections > maxConnections) {
      throw new IllegalArgumentException(
          "DATABASE_MIN_CONNS ("
              + minConnections
              + ") exceeds DATABASE_MAX_CONNS ("
              + maxConnections
              + ")");
    }
    return new HikariPoolFactory(address.jdbcUrl(), address.user(), address.password())
        .property("ApplicationName", applicationName)
        .property("connectTimeout", Integer.toString(connectTimeoutSeconds))
        .property("loginTimeout", Integer.toString(connectTimeoutSeconds))
        .property("tcpKeepAlive", "true")
        .maxSize(maxConnections)
        .minIdle(minConnections)
        .connectionTimeout(Duration.ofSeconds(connectTimeoutSeconds))
        .maxLifetime(Duration.ofSeconds(maxConnectionLifetimeSeconds))
        .idleTimeout(Duration.ofSeconds(maxConnectionIdleTimeSeconds))
        .keepalive(Duration.ofSeconds(healthCheckPeriodSeconds))
        .validationQuery("/* feedback-hub connection check */ SELECT 1");
  }
}
