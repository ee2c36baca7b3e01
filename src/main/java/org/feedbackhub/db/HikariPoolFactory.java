package org.feedbackhub.db;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.db.PooledDataSourceFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The settings of one HikariCP pool, and the Dropwizard {@link ManagedDataSource} built from them:
 * Hikari's pool metrics ({@code <name>.pool.*}) go to the metric registry, its connectivity check
 * ({@code <name>.pool.ConnectivityCheck}) to the health checks.
 *
 * @implNote The pool starts without a connection ({@code initializationFailTimeout} -1), so the
 *     service starts and answers 503 while the database is unreachable, as it recovers once it is
 *     back. Hikari rolls back a returned connection that has uncommitted work and resets its
 *     auto-commit, isolation and read-only state, which tomcat-jdbc's {@code rollbackOnReturn} did.
 *     It checks a borrowed connection with {@code Connection.isValid} unless it was used in the
 *     last 500 ms (Hikari's {@code aliveBypassWindowMs}), and evicts one the driver reports broken
 *     (class 08, 57P01..57P03). It never opens more than {@link #maxSize(int)} connections: one
 *     thread adds connections, counted before they are opened.
 */
public final class HikariPoolFactory implements PooledDataSourceFactory {
  /** Hikari's floor for the lifetime of a connection. */
  static final long MIN_LIFETIME_MS = 30_000;

  /** Hikari's floor for the idle timeout. */
  static final long MIN_IDLE_TIMEOUT_MS = 10_000;

  /** Hikari's floor for the keep-alive period; below it Hikari would switch keep-alive off. */
  static final long MIN_KEEPALIVE_MS = 30_000;

  /** Hikari's floor for the borrow and validation timeouts. */
  static final long MIN_TIMEOUT_MS = 250;

  private final String url;
  private final String user;
  private final String password;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private int maxSize = 10;
  private int minIdle = 0;
  private long connectionTimeoutMs = 10_000;
  private long maxLifetimeMs = 0;
  private long idleTimeoutMs = 600_000;
  private long keepaliveMs = 0;
  private String validationQuery = "SELECT 1";

  /**
   * @param url the JDBC URL
   * @param user null when the URL or the server needs none
   * @param password null when the URL or the server needs none
   */
  public HikariPoolFactory(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** A copy with the same address, credentials and settings, to adjust for another pool. */
  public HikariPoolFactory copy() {
    HikariPoolFactory copy = new HikariPoolFactory(url, user, password);
    copy.properties.putAll(properties);
    copy.maxSize = maxSize;
    copy.minIdle = minIdle;
    copy.connectionTimeoutMs = connectionTimeoutMs;
    copy.maxLifetimeMs = maxLifetimeMs;
    copy.idleTimeoutMs = idleTimeoutMs;
    copy.keepaliveMs = keepaliveMs;
    copy.validationQuery = validationQuery;
    return copy;
  }

  /** Sets a driver (pgjdbc) connection property, e.g. {@code ApplicationName}. */
  public HikariPoolFactory property(String name, String value) {
    properties.put(name, value);
    return this;
  }

  /** The most connections the pool opens. */
  public HikariPoolFactory maxSize(int connections) {
    this.maxSize = connections;
    return this;
  }

  /** Idle connections the pool keeps ready, opening them in the background. */
  public HikariPoolFactory minIdle(int connections) {
    this.minIdle = connections;
    return this;
  }

  /** The longest a borrow waits for a connection; the validation check gets half of it. */
  public HikariPoolFactory connectionTimeout(Duration timeout) {
    this.connectionTimeoutMs = Math.max(MIN_TIMEOUT_MS, timeout.toMillis());
    return this;
  }

  /** A connection older than this is replaced; zero keeps connections; at least 30 s. */
  public HikariPoolFactory maxLifetime(Duration lifetime) {
    long ms = lifetime.toMillis();
    this.maxLifetimeMs = ms <= 0 ? 0 : Math.max(MIN_LIFETIME_MS, ms);
    return this;
  }

  /** An idle connection beyond {@link #minIdle} is closed after this long; at least 10 s. */
  public HikariPoolFactory idleTimeout(Duration idle) {
    this.idleTimeoutMs = Math.max(MIN_IDLE_TIMEOUT_MS, idle.toMillis());
    return this;
  }

  /** How often each idle connection is checked in the background; zero never; at least 30 s. */
  public HikariPoolFactory keepalive(Duration period) {
    long ms = period.toMillis();
    this.keepaliveMs = ms <= 0 ? 0 : Math.max(MIN_KEEPALIVE_MS, ms);
    return this;
  }

  /** The statement of the {@code postgresql} health check (Dropwizard's Jdbi check). */
  public HikariPoolFactory validationQuery(String query) {
    this.validationQuery = query;
    return this;
  }

  public int getMaxSize() {
    return maxSize;
  }

  /** Hikari's settings for a pool named {@code name} (without metrics or health checks). */
  public HikariConfig hikariConfig(String name) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setDriverClassName(getDriverClass());
    config.setJdbcUrl(url);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    Properties driver = new Properties();
    driver.putAll(properties);
    config.setDataSourceProperties(driver);
    config.setMaximumPoolSize(maxSize);
    config.setMinimumIdle(minIdle);
    config.setConnectionTimeout(connectionTimeoutMs);
    config.setValidationTimeout(Math.max(MIN_TIMEOUT_MS, connectionTimeoutMs / 2));
    config.setMaxLifetime(maxLifetimeMs);
    config.setIdleTimeout(idleTimeoutMs);
    config.setKeepaliveTime(maxLifetimeMs > 0 && keepaliveMs >= maxLifetimeMs ? 0 : keepaliveMs);
    config.setInitializationFailTimeout(-1);
    config.setAutoCommit(true);
    return config;
  }

  /** The pool, with Hikari's metrics in {@code metrics} and its check in {@code healthChecks}. */
  public ManagedDataSource build(
      MetricRegistry metrics, HealthCheckRegistry healthChecks, String name) {
    HikariConfig config = hikariConfig(name);
    config.setMetricRegistry(metrics);
    if (healthChecks != null) {
      config.setHealthCheckRegistry(healthChecks);
    }
    return new ManagedHikariDataSource(config);
  }

  /** The pool without a health check, as the {@code db} commands build it. */
  @Override
  public ManagedDataSource build(MetricRegistry metrics, String name) {
    return build(metrics, null, name);
  }

  @Override
  public boolean isAutoCommentsEnabled() {
    return true;
  }

  @Override
  public Map<String, String> getProperties() {
    return Map.copyOf(properties);
  }

  @Override
  public Optional<io.dropwizard.util.Duration> getValidationQueryTimeout() {
    return Optional.of(io.dropwizard.util.Duration.milliseconds(connectionTimeoutMs));
  }

  @Override
  public Optional<String> getValidationQuery() {
    return Optional.of(validationQuery);
  }

  @Override
  public String getDriverClass() {
    return "org.postgresql.Driver";
  }

  @Override
  public String getUrl() {
    return url;
  }

  /** One connection, opened on demand: what the {@code db} commands need. */
  @Override
  public void asSingleConnectionPool() {
    maxSize = 1;
    minIdle = 0;
  }

  /** A Hikari pool that Dropwizard's lifecycle closes when the service stops. */
  static final class ManagedHikariDataSource extends HikariDataSource implements ManagedDataSource {
    ManagedHikariDataSource(HikariConfig config) {
      super(config);
    }

    @Override
    public void start() {}

    @Override
    public void stop() {
      close();
    }
  }
}
