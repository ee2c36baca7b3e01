package org.feedbackhub.errors;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.feedbackhub.api.Problem;
import org.feedbackhub.api.ProblemCode;
import org.junit.jupiter.api.Test;

/**
 * Jersey's errors (the API port) and Jetty's (both ports) give a status the same problem code and
 * type, from one table; a 5xx keeps its status.
 */
class ProblemStatusTableTest {
  @Test
  void jerseyAndJettyErrorsAgreeOnEveryStatus() throws Exception {
    WebApplicationExceptionMapper mapper = new WebApplicationExceptionMapper();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    for (int status :
        new int[] {
          400, 401, 403, 404, 406, 408, 409, 413, 415, 422, 429, 500, 501, 502, 503, 504
        }) {
      Response mapped = mapper.toResponse(new WebApplicationException(status));
      Problem problem = (Problem) mapped.getEntity();
      var jetty = json.readTree(ProblemErrorHandler.body(status, "/x", "id"));
      assertThat(mapped.getStatus()).as("status %d", status).isEqualTo(status);
      assertThat(problem.code()).as("code of %d", status).isEqualTo(jetty.path("code").asText());
      assertThat(problem.type()).as("type of %d", status).isEqualTo(jetty.path("type").asText());
      assertThat(problem.code()).isEqualTo(ProblemCode.forStatus(status).code());
    }
  }

  @Test
  void aServiceUnavailableWebApplicationExceptionStaysARetryable503() {
    Response mapped =
        new WebApplicationExceptionMapper().toResponse(new WebApplicationException(503));
    assertThat(mapped.getStatus()).isEqualTo(503);
    assertThat(mapped.getHeaderString("x-should-retry")).isEqualTo("true");
    assertThat(mapped.getHeaderString("Retry-After")).isEqualTo("1");
  }
}
