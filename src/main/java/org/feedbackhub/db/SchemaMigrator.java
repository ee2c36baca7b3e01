package org.feedbackhub.db;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.feedbackhub.StartupException;
import org.feedbackhub.Telemetry;

/** Applies the pending changesets of {@code migrations.xml}, as {@code db migrate} does. */
public final class SchemaMigrator {
  /** The changelog, at the top of the project and of the jar. */
  public static final String CHANGELOG = "migrations.xml";

  static {
    Telemetry.disable();
  }

  private SchemaMigrator() {}

  /**
   * Migrates the database behind {@code dataSource}; Liquibase's lock table keeps concurrent
   * instances from migrating twice.
   *
   * <p>After a migration the latest changelog row is tagged with the changelog's SHA-256. When that
   * tag is already there the database was migrated with this very changelog and Liquibase (about a
   * second of start-up) is skipped; any edit of the changelog changes the digest and sends the next
   * start through Liquibase again.
   *
   * @throws StartupException with a one-line reason when the database is unreachable or a changeset
   *     fails
   */
  @SuppressWarnings("deprecation")
  public static void migrate(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      String fingerprint = changelogFingerprint();
      if (isMigratedWith(connection, fingerprint)) {
        return;
      }
      Database database =
          liquibase.database.DatabaseFactory.getInstance()
              .findCorrectDatabaseImplementation(new JdbcConnection(connection));
      try (Liquibase liquibase =
          new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database)) {
        liquibase.update(new Contexts(), new LabelExpression());
        liquibase.tag(fingerprint);
      }
    } catch (SQLException e) {
      throw new StartupException("cannot reach the database: " + e.getMessage(), e);
    } catch (LiquibaseException e) {
      throw new StartupException("database migration failed: " + rootMessage(e), e);
    } catch (Exception e) {
      throw new StartupException("database migration failed: " + rootMessage(e), e);
    }
  }

  /** {@code sha256:<hex>} of the changelog as the class path holds it. */
  static String changelogFingerprint() throws IOException {
    try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(CHANGELOG)) {
      if (in == null) {
        throw new IOException(CHANGELOG + " is not on the class path");
      }
      return "sha256:" + HexFormat.of().formatHex(sha256().digest(in.readAllBytes()));
    }
  }

  /** True when the most recent changelog row carries {@code fingerprint} as its tag. */
  static boolean isMigratedWith(Connection connection, String fingerprint) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet table = statement.executeQuery("SELECT to_regclass('databasechangelog')")) {
      if (!table.next() || table.getString(1) == null) {
        return false;
      }
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT tag = ? FROM databasechangelog ORDER BY orderexecuted DESC LIMIT 1")) {
      statement.setString(1, fingerprint);
      try (ResultSet latest = statement.executeQuery()) {
        return latest.next() && latest.getBoolean(1);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage()).lines().findFirst().orElse("");
  }
}
