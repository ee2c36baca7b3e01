package org.feedbackhub.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.ManagedDataSource;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Properties;
import org.feedbackhub.testing.FreePorts;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** Which failures mean "the database is unavailable" (503) and which do not (4xx or 500). */
class SqlStatesTest {
  @ParameterizedTest
  @ValueSource(strings = {"08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03"})
  void connectionStatesAreConnectionFailuresBehindJdbi(String state) {
    SQLException driver = new SQLException("lost", state);
    assertThat(SqlStates.isConnectionFailure(driver)).isTrue();
    assertThat(SqlStates.isConnectionFailure(new UnableToExecuteStatementException(driver, null)))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"23505", "55P03", "42601", "22P02", "40001", "57014", "57P04", "XX000"})
  void otherStatesAreNot(String state) {
    SQLException driver = new SQLException("refused", state);
    assertThat(SqlStates.isConnectionFailure(driver)).isFalse();
    assertThat(SqlStates.isConnectionFailure(new UnableToExecuteStatementException(driver, null)))
        .isFalse();
  }

  @Test
  void pgjdbcConnectionStatesAreConnectionFailures() {
    for (PSQLState state :
        new PSQLState[] {
          PSQLState.CONNECTION_UNABLE_TO_CONNECT,
          PSQLState.CONNECTION_DOES_NOT_EXIST,
          PSQLState.CONNECTION_FAILURE,
          PSQLState.CONNECTION_REJECTED,
          PSQLState.CONNECTION_FAILURE_DURING_TRANSACTION
        }) {
      assertThat(SqlStates.isConnectionFailure(new PSQLException("lost", state)))
          .as(state.name())
          .isTrue();
    }
  }

  @Test
  void poolJdbiAndJdbcConnectionFailuresCountWithoutAState() {
    assertThat(SqlStates.isConnectionFailure(new SQLTransientConnectionException("no state")))
        .isTrue();
    assertThat(SqlStates.isConnectionFailure(new SQLException("no state"))).isFalse();
    assertThat(SqlStates.isConnectionFailure(new ConnectionException(new SQLException("no"))))
        .isTrue();
  }

  @Test
  void theHikariBorrowTimeoutIsAConnectionFailure() throws Exception {
    HikariPoolFactory settings =
        new HikariPoolFactory("jdbc:postgresql://127.0.0.1:" + FreePorts.any() + "/x", null, null)
            .property("connectTimeout", "1")
            .maxSize(1)
            .connectionTimeout(Duration.ofMillis(300));
    ManagedDataSource pool = settings.build(new MetricRegistry(), "closed-port");
    try {
      pool.getConnection().close();
      throw new AssertionError("borrowed a connection to a closed port");
    } catch (SQLException timedOut) {
      assertThat((Throwable) timedOut).isInstanceOf(SQLTransientConnectionException.class);
      assertThat(SqlStates.isConnectionFailure(timedOut)).isTrue();
      assertThat(SqlStates.isConnectionFailure(new ConnectionException(timedOut))).isTrue();
    } finally {
      pool.stop();
    }
  }

  @Test
  void theFirstStateInTheChainDecides() {
    SQLException constraint = new SQLException("duplicate", SqlStates.UNIQUE_VIOLATION);
    constraint.addSuppressed(new SQLException("rollback failed", "08006"));
    assertThat(SqlStates.isConnectionFailure(constraint)).isFalse();
    SQLException connectionBehindStateless =
        new SQLException("wrapper", (String) null, new SQLException("lost", "08006"));
    assertThat(SqlStates.isConnectionFailure(connectionBehindStateless)).isTrue();
  }

  @Test
  void bugsAndStatelessSqlFailuresAreNot() {
    assertThat(SqlStates.isConnectionFailure(new IllegalStateException("bug"))).isFalse();
    assertThat(SqlStates.isConnectionFailure(new NullPointerException())).isFalse();
    assertThat(SqlStates.isConnectionFailure(null)).isFalse();
  }

  @Test
  void theDriversRealRefusalIsAConnectionFailure() {
    int closedPort = FreePorts.any();
    Properties props = new Properties();
    props.setProperty("connectTimeout", "2");
    try {
      DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + closedPort + "/x", props)
          .close();
      throw new AssertionError("connected to a closed port");
    } catch (SQLException refused) {
      assertThat(SqlStates.isConnectionFailure(new ConnectionException(refused))).isTrue();
      assertThat(SqlStates.isConnectionFailure(refused)).as(refused.getSQLState()).isTrue();
    }
  }

  @Test
  void theLogSummaryNamesTheStateAndTheRootCauseOnOneLine() {
    String summary =
        SqlStates.summary(
            new ConnectionException(
                new SQLException("refused", "08001", new java.net.ConnectException("refused"))));
    assertThat(summary)
        .isEqualTo("ConnectionException sqlstate=08001 root=java.net.ConnectException: refused");
  }
}
