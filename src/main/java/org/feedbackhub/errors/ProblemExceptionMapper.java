package org.feedbackhub.errors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.feedbackhub.api.ProblemException;

/** Maps the typed client-facing failures to their problem responses. */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {
  @Context private HttpServletRequest request;

  @Override
  public Response toResponse(ProblemException e) {
    return ProblemResponses.build(
        request,
        e.code(),
        e.code().status(),
        null,
        e.getMessage(),
        e.details(),
        e.invalidParams(),
        e.headers(),
        null);
  }
}
