package org.feedbackhub.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

/**
 * Asks the PostgreSQL driver for binary results on a handle's statements: a {@code bytea} of
 * vectors then arrives as raw bytes instead of hex text, half the bytes and no decoding.
 *
 * @implNote A negative prepare threshold is the driver's switch for "prepare on the server now and
 *     transfer binary"; statements that cannot be unwrapped run as they are.
 */
public final class BinaryTransfer implements StatementCustomizer {
  @Override
  public void beforeExecution(PreparedStatement statement, StatementContext context)
      throws SQLException {
    if (statement.isWrapperFor(PGStatement.class)) {
      statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
    }
  }
}
