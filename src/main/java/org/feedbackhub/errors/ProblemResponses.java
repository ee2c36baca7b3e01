package org.feedbackhub.errors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.feedbackhub.api.InvalidParam;
import org.feedbackhub.api.Problem;
import org.feedbackhub.api.ProblemCode;
import org.feedbackhub.db.SqlStates;
import org.feedbackhub.http.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds problem+json responses and writes the one log line each problem gets: ERROR with the stack
 * trace for a 5xx with a cause, except a 503, whose cause (the database going away) is expected and
 * would flood the log with one identical trace per request: WARN with a one-line summary of the
 * cause; WARN for everything else.
 */
public final class ProblemResponses {
  private static final Logger LOG = LoggerFactory.getLogger("org.feedbackhub.problems");

  /**
   * The headers of a problem worth retrying unchanged, after {@code Retry-After} seconds: Hub's
   * official client retries a 409 only when it says {@code x-should-retry: true}, and any client
   * can tell a retryable 503 from a broken deployment by it.
   */
  public static final Map<String, String> RETRY_LATER =
      Map.of("Retry-After", "1", "x-should-retry", "true");

  private ProblemResponses() {}

  /** The response for {@code code}, logged once. */
  public static Response build(
      HttpServletRequest request,
      ProblemCode code,
      int status,
      String typeOverride,
      String detail,
      Map<String, Object> details,
      List<InvalidParam> invalidParams,
      Map<String, String> headers,
      Throwable cause) {
    String requestId = RequestIds.current(request);
    String path = request == null ? null : request.getRequestURI();
    String method = request == null ? null : request.getMethod();
    Problem problem =
        new Problem(
            typeOverride != null ? typeOverride : code.type(),
            code == ProblemCode.VALIDATION ? code.title() : statusTitle(status, code),
            status,
            detail == null || detail.isEmpty() ? null : detail,
            path,
            code.code(),
            requestId,
            details == null || details.isEmpty() ? null : details,
            invalidParams == null || invalidParams.isEmpty() ? null : invalidParams);
    if (status >= 500 && cause != null && status != ProblemCode.SERVICE_UNAVAILABLE.status()) {
      LOG.error(
          "problem status={} code={} method={} path={} request_id={}",
          status,
          code.code(),
          method,
          path,
          requestId,
          cause);
    } else {
      LOG.warn(
          "problem status={} code={} method={} path={} request_id={} detail={}{}",
          status,
          code.code(),
          method,
          path,
          requestId,
          problem.detail(),
          cause == null ? "" : " cause=" + SqlStates.summary(cause));
    }
    Response.ResponseBuilder response =
        Response.status(status)
            .type(Problem.MEDIA_TYPE)
            .header(HttpHeaders.CACHE_CONTROL, "no-store")
            .entity(problem);
    if (requestId != null) {
      response.header(RequestIds.HEADER, requestId);
    }
    if (headers != null) {
      headers.forEach(response::header);
    }
    return response.build();
  }

  private static String statusTitle(int status, ProblemCode code) {
    if (status == code.status()) {
      return code.title();
    }
    Response.Status known = Response.Status.fromStatusCode(status);
    return known != null ? known.getReasonPhrase() : code.title();
  }
}
