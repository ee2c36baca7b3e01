package org.feedbackhub.errors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.feedbackhub.api.ProblemCode;

/** The last resort: an opaque 500 whose cause is logged once and never sent. */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
  @Context private HttpServletRequest request;

  @Override
  public Response toResponse(Throwable e) {
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
