package org.feedbackhub.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.feedbackhub.api.InvalidParam;
import org.feedbackhub.api.Problem;
import org.feedbackhub.api.ProblemCode;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.db.SqlStates;
import org.feedbackhub.errors.ProblemResponses;
import org.feedbackhub.http.RequestIds;
import org.feedbackhub.tenant.TenantWriteConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the admin port's JSON answers and problems. The admin context has no Jersey, so the
 * servlets there write their bodies themselves, in the same problem shape as the API.
 */
public final class AdminResponses {
  private static final Logger LOG = LoggerFactory.getLogger(AdminResponses.class);

  private final ObjectMapper json;

  /**
   * @param base the application's mapper; copied so the admin's snake_case stays local
   */
  public AdminResponses(ObjectMapper base) {
    // nulls stay in: the feed's readers (page, scripts) see every field of every row
    this.json =
        base.copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);
  }

  public void write(HttpServletResponse response, int status, Object body) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    json.writeValue(response.getOutputStream(), body);
  }

  public void problem(
      HttpServletRequest request,
      HttpServletResponse response,
      ProblemCode code,
      int status,
      String detail,
      List<InvalidParam> invalidParams)
      throws IOException {
    Problem problem =
        new Problem(
            code.type(),
            code.title(),
            status,
            detail,
            request.getRequestURI(),
            code.code(),
            RequestIds.current(request),
            null,
            invalidParams == null || invalidParams.isEmpty() ? null : invalidParams);
    response.setStatus(status);
    response.setContentType(Problem.MEDIA_TYPE);
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    json.writeValue(response.getOutputStream(), problem);
  }

  /** A typed problem (validation, not found, ...) as problem+json. */
  public void problem(HttpServletRequest request, HttpServletResponse response, ProblemException e)
      throws IOException {
    problem(request, response, e.code(), e.code().status(), e.getMessage(), e.invalidParams());
  }

  /**
   * A refused tenant write: the retryable 409 with {@code Retry-After} and {@code x-should-retry},
   * as on the API port.
   */
  public void tenantWriteConflict(
      HttpServletRequest request, HttpServletResponse response, TenantWriteConflictException e)
      throws IOException {
    ProblemResponses.RETRY_LATER.forEach(response::setHeader);
    ProblemCode code = ProblemCode.TENANT_WRITE_CONFLICT;
    problem(request, response, code, code.status(), e.getMessage(), null);
  }

  /**
   * An unexpected failure of an admin action, mapped as on the API port: a lost database is the
   * retryable 503 (logged at WARN, one line), anything else a 500 logged with its stack trace. No
   * driver message reaches the client.
   */
  public void failure(
      HttpServletRequest request, HttpServletResponse response, RuntimeException e, String what)
      throws IOException {
    if (SqlStates.isConnectionFailure(e)) {
      LOG.warn("admin {}: the database is unavailable: {}", what, SqlStates.summary(e));
      ProblemResponses.RETRY_LATER.forEach(response::setHeader);
      ProblemCode code = ProblemCode.SERVICE_UNAVAILABLE;
      problem(request, response, code, code.status(), "the database is unavailable", null);
      return;
    }
    LOG.error("admin {} failed", what, e);
    ProblemCode code = ProblemCode.INTERNAL_SERVER_ERROR;
    problem(request, response, code, code.status(), "the " + what + " failed", null);
  }

  public ObjectMapper mapper() {
    return json;
  }
}
