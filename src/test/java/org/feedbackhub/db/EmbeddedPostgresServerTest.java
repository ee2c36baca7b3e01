package org.feedbackhub.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run-mode embedded PostgreSQL: durable data folder, one server per folder. */
class EmbeddedPostgresServerTest {
  /**
   * Kept outside {@code java.io.tmpdir/embedded-pg}, which the library purges; JUnit's temp folder
   * is directly under {@code java.io.tmpdir}.
   */
  @TempDir Path temp;

  @Test
  void dataSurvivesAStopAndAStartOnTheSameFolder() throws SQLException {
    Path data = temp.resolve("pg");
    EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data, 0, true);
    try (Connection c = DriverManager.getConnection(first.jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (note text)");
      s.execute("INSERT INTO kept VALUES ('still here')");
      try (ResultSet rs = s.executeQuery("SHOW fsync")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("on");
      }
    } finally {
      first.close();
    }

    EmbeddedPostgresServer second = EmbeddedPostgresServer.start(data, 0, true);
    try (Connection c = DriverManager.getConnection(second.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT note FROM kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("still here");
    } finally {
      second.close();
    }
  }

  @Test
  void underTheLifecycleTheExitHookStopsTheServerOnlyAfterTheLifecycleHasStopped()
      throws Exception {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(temp.resolve("pg"), 0, false);
    server.start();
    Thread hook = new Thread(server::closeAtExit, "exit-hook-under-test");
    hook.start();
    try {
      hook.join(500);
      assertThat(hook.isAlive()).as("the hook waits for the lifecycle").isTrue();
      assertThat(answers(server.jdbcUrl())).as("workers can still use the database").isTrue();

      server.stop();

      hook.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(hook.isAlive()).isFalse();
      assertThat(answers(server.jdbcUrl())).isFalse();
    } finally {
      server.stop();
    }
  }

  @Test
  void withoutTheLifecycleTheServerStopsWhenTheProcessExits() throws Exception {
    Path data = temp.resolve("pg");
    Process cli =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ExitingCommand.class.getName(),
                data.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String url =
        output
            .lines()
            .filter(line -> line.startsWith("URL "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the command printed no URL:\n" + output))
            .substring(4);

    await("no orphaned postmaster after the JVM exited")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !answers(url));
  }

  private static boolean answers(String jdbcUrl) {
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Test
  void aSecondServerInThisProcessOnTheSameFolderFailsWithOneLine() {
    Path data = temp.resolve("pg");
    EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data, 0, false);
    try {
      assertThatThrownBy(() -> EmbeddedPostgresServer.start(data, 0, false))
          .isInstanceOf(StartupException.class)
          .hasMessage(inUse(data));
    } finally {
      first.close();
    }
  }

  @Test
  void aSecondProcessOnTheSameFolderFailsWithOneLine() throws Exception {
    Path data = temp.resolve("pg");
    EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data, 0, false);
    try {
      Path out = temp.resolve("second.out");
      Process second =
          new ProcessBuilder(
                  Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  SecondServer.class.getName(),
                  data.toString())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
      assertThat(second.exitValue()).as("output: %s", lines).isEqualTo(3);
      assertThat(lines).contains("STARTUP " + inUse(data));
    } finally {
      first.close();
    }
  }

  @Test
  void theLibrarysLockMessageIsRecognised() {
    IllegalStateException library =
        new IllegalStateException("could not lock /srv/hub/data/postgres/epg-lock");
    assertThat(
            EmbeddedPostgresServer.describeStartFailure(
                Path.of("/srv/hub/data/postgres"), new RuntimeException(library)))
        .isEqualTo(inUse(Path.of("/srv/hub/data/postgres")));
  }

  private static String inUse(Path data) {
    return "the embedded PostgreSQL data folder "
        + data.toAbsolutePath().normalize()
        + " is in use by another feedback-hub process; stop it or set EMBEDDED_DB_DIR to another"
        + " folder";
  }

  /** A CLI-like process: starts a server outside any lifecycle and exits without closing it. */
  public static final class ExitingCommand {
    public static void main(String[] args) {
      EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 0, false);
      System.out.println("URL " + server.jdbcUrl());
      System.exit(0);
    }
  }

  /** The other process: starts a server on the folder and reports how that went. */
  public static final class SecondServer {
    public static void main(String[] args) throws IOException {
      try {
        EmbeddedPostgresServer.start(Path.of(args[0]), 0, false).close();
        System.out.println("STARTED");
        System.exit(0);
      } catch (StartupException e) {
        System.out.println("STARTUP " + e.getMessage());
        System.exit(3);
      }
    }
  }
}
