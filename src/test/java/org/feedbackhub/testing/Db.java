package org.feedbackhub.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Small read helpers over the {@link TestDatabase} for assertions on stored rows. */
public final class Db {
  private Db() {}

  /** The single {@code long} the query returns; parameters bind as strings in order. */
  public static long queryLong(String sql, Object... params) {
    try (Connection c = TestDatabase.get().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of every row, as strings. */
  public static List<String> queryStrings(String sql, Object... params) {
    try (Connection c = TestDatabase.get().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs one statement, e.g. a fixture insert. */
  public static int execute(String sql, Object... params) {
    try (Connection c = TestDatabase.get().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void bind(PreparedStatement s, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
  }
}
