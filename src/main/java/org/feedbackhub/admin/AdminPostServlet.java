package org.feedbackhub.admin;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.feedbackhub.api.ProblemCode;

/**
 * An admin action answered only to POST; every other method gets a 405 problem with {@code Allow:
 * POST}.
 *
 * @implNote Overrides {@code service}, not {@code doGet}: {@link HttpServlet} answers a method it
 *     has no {@code doXxx} for, such as PATCH, with 501 Not Implemented, a 5xx for a client's
 *     mistake that Hub's client would retry.
 */
abstract class AdminPostServlet extends HttpServlet {
  protected final transient AdminResponses responses;

  AdminPostServlet(AdminResponses responses) {
    this.responses = responses;
  }

  /** The action. */
  protected abstract void post(HttpServletRequest request, HttpServletResponse response)
      throws IOException;

  @Override
  protected final void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if ("POST".equals(request.getMethod())) {
      post(request, response);
      return;
    }
    response.setHeader("Allow", "POST");
    ProblemCode code = ProblemCode.METHOD_NOT_ALLOWED;
    responses.problem(request, response, code, code.status(), "use POST", null);
  }
}
