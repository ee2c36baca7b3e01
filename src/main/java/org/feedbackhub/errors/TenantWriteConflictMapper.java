package org.feedbackhub.errors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.feedbackhub.api.ProblemCode;
import org.feedbackhub.tenant.TenantWriteConflictException;

/**
 * Maps tenant write conflicts to the retryable 409, with {@code Retry-After: 1} and {@code
 * x-should-retry: true} so that Hub's official client retries it (and only it).
 */
@Provider
public class TenantWriteConflictMapper implements ExceptionMapper<TenantWriteConflictException> {
  @Context private HttpServletRequest request;

  @Override
  public Response toResponse(TenantWriteConflictException e) {
    ProblemCode code = ProblemCode.TENANT_WRITE_CONFLICT;
    return ProblemResponses.build(
        request,
        code,
        code.status(),
        null,
        e.getMessage(),
        null,
        null,
        ProblemResponses.RETRY_LATER,
        null);
  }
}
