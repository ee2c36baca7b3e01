package org.feedbackhub.db;

import java.sql.Connection;
import java.sql.SQLException;
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
   * @throws StartupException with a one-line reason when the database is unreachable or a changeset
   *     fails
   */
  @SuppressWarnings("deprecation")
  public static void migrate(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      Database database =
          liquibase.database.DatabaseFactory.getInstance()
              .findCorrectDatabaseImplementation(new JdbcConnection(connection));
      try (Liquibase liquibase =
          new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database)) {
        liquibase.update(new Contexts(), new LabelExpression());
      }
    } catch (SQLException e) {
      throw new StartupException("cannot reach the database: " + e.getMessage(), e);
    } catch (LiquibaseException e) {
      throw new StartupException("database migration failed: " + rootMessage(e), e);
    } catch (Exception e) {
      throw new StartupException("database migration failed: " + rootMessage(e), e);
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
