package org.feedbackhub.db;

import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server feedback-hub starts for itself when no {@code DATABASE_URL} is given, with
 * its data in a persistent folder so that a first run needs nothing installed.
 *
 * @implNote The library starts postgres with {@code fsync} and {@code synchronous_commit} off for
 *     speed; a durable run mode turns both back on. When the chosen port is busy, the library's
 *     {@code start()} may return connected to a foreign server, so the data directory is checked
 *     after start.
 */
public final class EmbeddedPostgresServer implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  /** How long the exit hook waits for the lifecycle before stopping the server anyway. */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(90);

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final CountDownLatch lifecycleStopped = new CountDownLatch(1);
  private volatile boolean managed;
  private boolean closed;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts (initialising on first use) a server on {@code dataDirectory}.
   *
   * @param port the TCP port on loopback, or 0 for any free port
   * @param durable whether commits must survive a crash (off only for throw-away test databases)
   */
  public static EmbeddedPostgresServer start(Path dataDirectory, int port, boolean durable) {
    Path absolute = dataDirectory.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute.getParent());
    } catch (IOException e) {
      throw new StartupException(
          "cannot create the embedded PostgreSQL data folder " + absolute + ": " + e.getMessage());
    }
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(absolute)
            .setCleanDataDirectory(false)
            // The library's own exit hook would stop the server while the application's
            // lifecycle still drains requests and workers; closeAtExit orders the two.
            .setRegisterShutdownHook(false)
            .setPGStartupWait(java.time.Duration.ofSeconds(60))
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("max_connections", "300")
            // Local storage: random reads cost little more than sequential ones. With the default
            // of 4 the planner lists a large tenant by walking the global collected_at index and
            // filtering other tenants' rows instead of using the tenant's keyset index.
            .setServerConfig("random_page_cost", "1.1");
    if (durable) {
      builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
    }
    if (port > 0) {
      builder.setPort(port);
    }
    EmbeddedPostgres postgres;
    try {
      postgres = builder.start();
    } catch (IOException | RuntimeException e) {
      throw new StartupException(describeStartFailure(absolute, e), e);
    }
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, absolute);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(server::closeAtExit, "embedded-postgres-closer"));
    server.verifyDataDirectory();
    LOG.info(
        "embedded PostgreSQL listening on 127.0.0.1:{} with data in {}",
        postgres.getPort(),
        absolute);
    return server;
  }

  /**
   * @implNote The library locks {@code epg-lock} in the data folder: another process holding it
   *     gives "could not lock .../epg-lock"; another server in this JVM gives an {@link
   *     OverlappingFileLockException} without a message.
   */
  static String describeStartFailure(Path dataDirectory, Exception e) {
    String message = String.valueOf(e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OverlappingFileLockException
          || String.valueOf(t.getMessage()).contains("epg-lock")) {
        return "the embedded PostgreSQL data folder "
            + dataDirectory
            + " is in use by another feedback-hub process; stop it or set EMBEDDED_DB_DIR to another folder";
      }
    }
    return "cannot start the embedded PostgreSQL in " + dataDirectory + ": " + message;
  }

  private void verifyDataDirectory() {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW data_directory")) {
      rs.next();
      Path actual = Path.of(rs.getString(1)).toRealPath();
      if (!actual.equals(dataDirectory.toRealPath())) {
        close();
        throw new StartupException(
            "port "
                + postgres.getPort()
                + " is taken by another PostgreSQL server (data in "
                + actual
                + "); choose another EMBEDDED_DB_PORT");
      }
    } catch (SQLException | IOException e) {
      close();
      throw new StartupException("the embedded PostgreSQL did not answer: " + e.getMessage(), e);
    }
  }

  /** The JDBC URL of the {@code postgres} database as the {@code postgres} superuser. */
  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  public int port() {
    return postgres.getPort();
  }

  /**
   * The server runs from {@link #start}; this marks it as stopped by the application's lifecycle.
   */
  @Override
  public void start() {
    managed = true;
  }

  @Override
  public void stop() {
    close();
    lifecycleStopped.countDown();
  }

  /** Stops the server cleanly, once; the data stays in its folder. */
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      postgres.close();
      LOG.info("embedded PostgreSQL stopped");
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }

  /**
   * The JVM shutdown hook. Shutdown hooks run concurrently, so under the application's lifecycle it
   * waits for the lifecycle to stop the workers and connections that still use the database;
   * without one (a CLI command) it stops the server at once.
   */
  void closeAtExit() {
    if (managed) {
      try {
        lifecycleStopped.await(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    close();
  }
}
