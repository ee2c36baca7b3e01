package org.feedbackhub.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Database settings: an external PostgreSQL named by {@code DATABASE_URL}, or the embedded one with
 * its data in {@code embeddedDataDirectory} when the URL is empty.
 */
public class DatabaseFactory {
  /**
   * A borrowed connection that passed its check more recently than this is not checked again: an
   * outage shorter than this can cost one failed (503) request per pooled connection.
   */
  public static final Duration VALIDATION_INTERVAL = Duration.seconds(1);

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
   * The pool settings for {@code address}.
   *
   * @param address where the database is: parsed from {@code url}, or the embedded server's
   * @implNote Recovery after the database restarts: a borrowed connection is checked with {@code
   *     SELECT 1} unless it passed a check within {@link #VALIDATION_INTERVAL}, so a connection
   *     broken by an outage longer than that is replaced before a request sees it, at the cost of
   *     at most one round trip per connection per interval on the hot path. A connection a request
   *     finds broken is closed by the driver and dropped by the pool when it is returned. Idle
   *     connections are also checked in the background every {@code healthCheckPeriodSeconds}
   *     (which is also when those idle longer than {@code maxConnectionIdleTimeSeconds}, beyond
   *     {@code minConnections}, are closed). Connecting, the wait for a pooled connection and the
   *     check itself are each bounded by {@code connectTimeoutSeconds}, so a request during an
   *     outage fails (503) instead of hanging.
   */
  public DataSourceFactory dataSourceFactory(LibpqUrl address) {
    if (minConnections > maxConnections) {
      throw new IllegalArgumentException(
          "DATABASE_MIN_CONNS ("
              + minConnections
              + ") exceeds DATABASE_MAX_CONNS ("
              + maxConnections
              + ")");
    }
    DataSourceFactory pool = new DataSourceFactory();
    pool.setDriverClass("org.postgresql.Driver");
    pool.setUrl(address.jdbcUrl());
    if (address.user() != null) {
      pool.setUser(address.user());
    }
    if (address.password() != null) {
      pool.setPassword(address.password());
    }
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("ApplicationName", applicationName);
    properties.put("connectTimeout", Integer.toString(connectTimeoutSeconds));
    properties.put("tcpKeepAlive", "true");
    pool.setProperties(properties);
    pool.setMaxSize(maxConnections);
    pool.setMinSize(minConnections);
    pool.setInitialSize(minConnections);
    pool.setMaxWaitForConnection(Duration.seconds(connectTimeoutSeconds));
    pool.setValidationQuery("/* feedback-hub connection check */ SELECT 1");
    pool.setValidationQueryTimeout(Duration.seconds(connectTimeoutSeconds));
    pool.setCheckConnectionOnBorrow(true);
    pool.setValidationInterval(VALIDATION_INTERVAL);
    pool.setCheckConnectionWhileIdle(true);
    pool.setEvictionInterval(Duration.seconds(healthCheckPeriodSeconds));
    pool.setMinIdleTime(Duration.seconds(maxConnectionIdleTimeSeconds));
    pool.setRollbackOnReturn(true);
    if (maxConnectionLifetimeSeconds > 0) {
      pool.setMaxConnectionAge(Duration.seconds(maxConnectionLifetimeSeconds));
    }
    return pool;
  }
}
