package org.feedbackhub.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.feedbackhub.db.EmbeddedPostgresServer;
import org.feedbackhub.db.LibpqUrl;
import org.feedbackhub.db.SchemaMigrator;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The one PostgreSQL of a test JVM, migrated once: {@code TEST_DATABASE_URL} when set (libpq or
 * JDBC form); a Testcontainers PostgreSQL when {@code TEST_DATABASE=testcontainers} and a Docker
 * engine answers; otherwise an embedded server in a throw-away folder. The embedded major version
 * is whichever binaries the Maven profile put on the classpath ({@code -Ppg15} .. {@code -Ppg18}).
 */
public final class TestDatabase {
  private static TestDatabase instance;

  private final LibpqUrl address;

  private TestDatabase(LibpqUrl address) {
    this.address = address;
  }

  /** The shared database, started and migrated on first use. */
  public static synchronized TestDatabase get() {
    if (instance == null) {
      instance = new TestDatabase(start());
      SchemaMigrator.migrate(instance.dataSource());
    }
    return instance;
  }

  private static LibpqUrl start() {
    String external = System.getenv("TEST_DATABASE_URL");
    if (external != null && !external.isBlank()) {
      return LibpqUrl.parse(external);
    }
    if (TestcontainersPostgres.askedFor(System.getenv("TEST_DATABASE"))) {
      String image = System.getenv().getOrDefault("TEST_DATABASE_IMAGE", "postgres:17");
      Optional<LibpqUrl> container = TestcontainersPostgres.startIfDockerAvailable(image);
      if (container.isPresent()) {
        return container.get();
      }
      System.err.println(
          "TEST_DATABASE=testcontainers, but no Docker engine answers: using the embedded PostgreSQL");
    }
    try {
      Path dir = Files.createTempDirectory("feedback-hub-test-pg");
      EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("data"), 0, false);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
      return new LibpqUrl(server.jdbcUrl(), null, null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The URL to give the application as {@code DATABASE_URL}. */
  public String databaseUrl() {
    if (address.user() == null) {
      return address.jdbcUrl();
    }
    String separator = address.jdbcUrl().contains("?") ? "&" : "?";
    String credentials = "user=" + encode(address.user());
    if (address.password() != null) {
      credentials += "&password=" + encode(address.password());
    }
    return address.jdbcUrl() + separator + credentials;
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A plain, unpooled data source for fixtures and assertions. */
  public PGSimpleDataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(address.jdbcUrl());
    if (address.user() != null) {
      ds.setUser(address.user());
    }
    if (address.password() != null) {
      ds.setPassword(address.password());
    }
    ds.setApplicationName("feedback-hub-test");
    return ds;
  }

  /**
   * A raw connection outside every pool, with its own application name, in autocommit; tests use it
   * to hold advisory locks themselves.
   */
  public Connection rawConnection(String applicationName) throws SQLException {
    return rawConnection(address.jdbcUrl(), applicationName);
  }

  /**
   * A plain JDBC connection to another database of the same server, created when missing, for tests
   * of what belongs to the service's database only.
   */
  public Connection rawConnectionToDatabase(String database, String applicationName)
      throws SQLException {
    try (Connection c = rawConnection("feedback-hub-test-create-database");
        var s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      if (!"42P04".equals(e.getSQLState())) { // duplicate_database: made by an earlier run
        throw e;
      }
    }
    String url =
        address.jdbcUrl().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
    return rawConnection(url, applicationName);
  }

  private Connection rawConnection(String jdbcUrl, String applicationName) throws SQLException {
    Properties props = new Properties();
    if (address.user() != null) {
      props.setProperty("user", address.user());
    }
    if (address.password() != null) {
      props.setProperty("password", address.password());
    }
    props.setProperty("ApplicationName", applicationName);
    return DriverManager.getConnection(jdbcUrl, props);
  }

  /** The server's major version, e.g. 17. */
  public int majorVersion() {
    try (Connection c = rawConnection("feedback-hub-test-version")) {
      return c.getMetaData().getDatabaseMajorVersion();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
