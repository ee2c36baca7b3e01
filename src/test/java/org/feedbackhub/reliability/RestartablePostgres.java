package org.feedbackhub.reliability;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import org.feedbackhub.db.EmbeddedPostgresServer;
import org.feedbackhub.testing.FreePorts;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's own embedded PostgreSQL that it can stop and start again under a running application:
 * one fixed loopback port and one data folder under {@code target/}, so the application's {@code
 * DATABASE_URL} stays valid across restarts. Register it before the application's extension.
 */
final class RestartablePostgres implements BeforeAllCallback, AfterAllCallback {
  static final String USER = "postgres";

  private final Path dataDirectory =
      Path.of("target", "restartable-postgres", UUID.randomUUID().toString(), "data");
  private final int port = FreePorts.any();
  private EmbeddedPostgresServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  /** Starts the server on the same port and data as before (a no-op while it runs). */
  synchronized void start() {
    if (server == null) {
      server = EmbeddedPostgresServer.start(dataDirectory, port, false);
    }
  }

  /** Stops the server cleanly (a fast shutdown: open sessions are terminated). */
  synchronized void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** The libpq-form URL the application gets as {@code DATABASE_URL}. */
  String databaseUrl() {
    return "postgres://" + USER + ":" + USER + "@127.0.0.1:" + port + "/postgres?sslmode=disable";
  }

  /** A raw connection outside every pool, for assertions. */
  Connection connect(String applicationName) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", USER);
    props.setProperty("password", USER);
    props.setProperty("ApplicationName", applicationName);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props);
  }
}
