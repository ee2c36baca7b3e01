package org.feedbackhub.errors;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.feedbackhub.api.Problem;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

/** The catch-all mapper: a lost database is a retryable 503, anything else a terminal 500. */
class UnexpectedExceptionMapperTest {
  private final UnexpectedExceptionMapper mapper = new UnexpectedExceptionMapper();

  @Test
  void aLostDatabaseIsARetryableServiceUnavailableThatEchoesNothing() {
    Response response =
        mapper.toResponse(
            new ConnectionException(
                new SQLException("Connection to 10.0.0.9:5432 refused", "08001")));
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
    assertThat(response.getHeaderString("x-should-retry")).isEqualTo("true");
    assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
    Problem problem = (Problem) response.getEntity();
    assertThat(problem.code()).isEqualTo("service_unavailable");
    assertThat(problem.type()).endsWith("/service-unavailable");
    assertThat(problem.detail()).isEqualTo(UnexpectedExceptionMapper.DATABASE_UNAVAILABLE);
  }

  @Test
  void aFailedStatementOnALiveConnectionStaysAnOpaqueInternalError() {
    Response response =
        mapper.toResponse(
            new UnableToExecuteStatementException(
                new SQLException("syntax error at or near \"SELEC\"", "42601"), null));
    assertThat(response.getStatus()).isEqualTo(500);
    assertThat(response.getHeaderString("Retry-After")).isNull();
    Problem problem = (Problem) response.getEntity();
    assertThat(problem.code()).isEqualTo("internal_server_error");
    assertThat(problem.detail()).isEqualTo("An unexpected error occurred");
  }
}
