package org.feedbackhub.errors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.feedbackhub.api.ProblemCode;
import org.feedbackhub.db.SqlStates;

/**
 * The last resort: a lost or unreachable database is a retryable 503, anything else an opaque 500
 * whose cause is logged once and never sent.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
  static final String DATABASE_UNAVAILABLE = "the database is unavailable; retry later";

  @Context private HttpServletRequest request;

  @Override
  public Response toResponse(Throwable e) {
    if (SqlStates.isConnectionFailure(e)) {
      ProblemCode code = ProblemCode.SERVICE_UNAVAILABLE;
      return ProblemResponses.build(
          request,
          code,
          code.status(),
          null,
          DATABASE_UNAVAILABLE,
          null,
          null,
          ProblemResponses.RETRY_LATER,
          e);
    }
    return ProblemResponses.build(
        request,
        ProblemCode.INTERNAL_SERVER_ERROR,
        500,
        null,
        "An unexpected error occurred",
        null,
        null,
        null,
        e);
  }
}
