package org.feedbackhub.errors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.Set;
import org.feedbackhub.api.ProblemCode;

/**
 * Rewrites Jersey's own HTTP errors (unknown route, wrong method, unsupported media type) as
 * problem documents, keeping the {@code Allow} header of a 405 and the status of a 5xx, with the
 * code of {@link ProblemCode#forStatus}, the table Jetty's errors and the admin port use too.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
  @Context private HttpServletRequest request;

  @Override
  public Response toResponse(WebApplicationException e) {
    Response original = e.getResponse();
    int status = original.getStatus();
    switch (status) {
      case 404:
        return problem(
            ProblemCode.NOT_FOUND, status, null, "The requested resource was not found", Map.of());
      case 405:
        Set<String> allowed = original.getAllowedMethods();
        return problem(
            ProblemCode.METHOD_NOT_ALLOWED,
            status,
            null,
            "Method " + request.getMethod() + " is not allowed",
            allowed.isEmpty() ? Map.of() : Map.of(HttpHeaders.ALLOW, String.join(", ", allowed)));
      case 413:
        return problem(
            ProblemCode.CONTENT_TOO_LARGE, status, null, "request body too large", Map.of());
      default:
        ProblemCode code = ProblemCode.forStatus(status);
        if (status == 503) {
          return ProblemResponses.build(
              request,
              code,
              status,
              null,
              "the service is unavailable; retry later",
              null,
              null,
              ProblemResponses.RETRY_LATER,
              e);
        }
        if (status >= 500) {
          return ProblemResponses.build(
              request, code, status, null, "An unexpected error occurred", null, null, null, e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String detail = known != null ? known.getReasonPhrase() : "Client error";
        String type = code.status() == status ? null : ProblemCode.typeForStatus(status);
        return problem(code, status, type, detail, Map.of());
    }
  }

  private Response problem(
      ProblemCode code, int status, String type, String detail, Map<String, String> headers) {
    return ProblemResponses.build(request, code, status, type, detail, null, null, headers, null);
  }
}
