package org.feedbackhub.reliability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.testing.FreePorts;
import org.feedbackhub.testing.TestDatabase;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Debian's {@code pgbouncer} in transaction pooling mode in front of the {@link TestDatabase}, on a
 * free loopback port with a generated configuration, as a JUnit extension: register it before the
 * application so it starts first and stops last. {@code auth_type = any}: the database entry
 * carries the real credentials, so it works for the embedded server and for {@code
 * TEST_DATABASE_URL} alike.
 */
final class PgBouncer implements BeforeAllCallback, AfterAllCallback {
  static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

  private Process process;
  private Path dir;
  private int port;

  /** Whether the binary is installed ({@code .ci/install-pgbouncer}). */
  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    PGSimpleDataSource target = TestDatabase.get().dataSource();
    URI upstream = URI.create(target.getUrl().substring("jdbc:".length()));
    port = FreePorts.any();
    dir = Files.createTempDirectory("feedback-hub-pgbouncer");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    String database = upstream.getPath().substring(1);
    StringBuilder entry =
        new StringBuilder("host=")
            .append(upstream.getHost())
            .append(" port=")
            .append(upstream.getPort() < 0 ? 5432 : upstream.getPort())
            .append(" dbname=")
            .append(database)
            .append(" user=")
            .append(target.getUser() == null ? "postgres" : target.getUser());
    if (target.getPassword() != null) {
      entry.append(" password=").append(target.getPassword());
    }
    Path config = dir.resolve("pgbouncer.ini");
    Files.writeString(
        config,
        String.join(
            "\n",
            "[databases]",
            "feedback = " + entry,
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            "listen_port = " + port,
            "unix_socket_dir =",
            "auth_type = any",
            "pool_mode = transaction",
            "max_client_conn = 200",
            "default_pool_size = 20",
            "ignore_startup_parameters = extra_float_digits",
            "server_reset_query =",
            "logfile = " + dir.resolve("pgbouncer.log"),
            "pidfile = " + dir.resolve("pgbouncer.pid"),
            ""));
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
    List<String> command = new ArrayList<>(List.of(BINARY.toString()));
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("-u", "nobody")); // pgbouncer refuses to run as root
    }
    command.add(config.toString());
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    await("pgbouncer accepting connections on port " + port)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(this::answers);
  }

  private boolean answers() throws Exception {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "pgbouncer exited: " + Files.readString(dir.resolve("stdout.log")));
    }
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    props.setProperty("connectTimeout", "2");
    try (Connection c = DriverManager.getConnection(jdbcUrl(), props);
        var rs = c.createStatement().executeQuery("SELECT 1")) {
      return rs.next();
    }
  }

  /** The JDBC URL through the pooler; {@code prepareThreshold=0} as transaction pooling needs. */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/feedback?prepareThreshold=0&user=postgres";
  }

  /** pgbouncer's own log, e.g. to prove that clients came through it. */
  String log() throws IOException {
    return Files.readString(dir.resolve("pgbouncer.log"));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
