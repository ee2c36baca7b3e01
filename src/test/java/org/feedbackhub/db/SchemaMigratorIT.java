package org.feedbackhub.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

/** Migration on a database of its own: the changelog digest tag and the start-up fast path. */
class SchemaMigratorIT {
  private final String database = "migrator_" + UUID.randomUUID().toString().replace("-", "");
  private PGSimpleDataSource dataSource;

  @BeforeEach
  void createDatabase() throws SQLException {
    execute(TestDatabase.get().dataSource(), "CREATE DATABASE " + database);
    dataSource = TestDatabase.get().dataSource();
    dataSource.setDatabaseName(database);
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    execute(TestDatabase.get().dataSource(), "DROP DATABASE " + database + " WITH (FORCE)");
  }

  @Test
  void anEmptyDatabaseIsNotMigratedYet() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      assertThat(SchemaMigrator.isMigratedWith(connection, SchemaMigrator.changelogFingerprint()))
          .isFalse();
    }
  }

  @Test
  void aMigrationTagsTheLatestChangesetWithTheChangelogDigest() throws Exception {
    SchemaMigrator.migrate(dataSource);

    try (Connection connection = dataSource.getConnection()) {
      String fingerprint = SchemaMigrator.changelogFingerprint();
      assertThat(fingerprint).matches("sha256:[0-9a-f]{64}");
      assertThat(SchemaMigrator.isMigratedWith(connection, fingerprint)).isTrue();
      assertThat(SchemaMigrator.isMigratedWith(connection, "sha256:" + "0".repeat(64))).isFalse();
    }
  }

  @Test
  void anOtherDigestSendsTheNextStartThroughLiquibaseWhichTagsAgain() throws Exception {
    SchemaMigrator.migrate(dataSource);
    execute(dataSource, "UPDATE databasechangelog SET tag = 'sha256:from-an-older-changelog'");

    SchemaMigrator.migrate(dataSource);

    try (Connection connection = dataSource.getConnection()) {
      assertThat(SchemaMigrator.isMigratedWith(connection, SchemaMigrator.changelogFingerprint()))
          .isTrue();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theFastPathLeavesAnUpToDateDatabaseUntouched() throws Exception {
    SchemaMigrator.migrate(dataSource);
    execute(dataSource, "UPDATE databasechangeloglock SET locked = true, lockedby = 'a test'");

    // Liquibase would wait for its lock here and fail; the fast path never asks for it.
    SchemaMigrator.migrate(dataSource);
  }

  private static void execute(PGSimpleDataSource on, String sql) throws SQLException {
    try (Connection connection = on.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
