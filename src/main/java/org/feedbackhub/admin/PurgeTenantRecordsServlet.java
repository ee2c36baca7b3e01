package org.feedbackhub.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.feedbackhub.api.ProblemCode;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.api.RecordsPurgeAcceptedResponse;
import org.feedbackhub.core.RecordsPurgeService;
import org.feedbackhub.core.TenantPurgeService;
import org.feedbackhub.db.SqlStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /tasks/purge-tenant-records?tenant_id=...}: the admin port's records-only purge, the
 * very same service call as {@code DELETE /v1/tenants/{id}/feedback-records}: 202 with the same
 * body, the purge runs (or joins the running one) in the background; the console shows its
 * progress.
 */
public final class PurgeTenantRecordsServlet extends AdminPostServlet {
  /** The path on the admin context, beside {@link PurgeTenantServlet#PATH}. */
  public static final String PATH = "/tasks/purge-tenant-records";

  private static final Logger LOG = LoggerFactory.getLogger(PurgeTenantRecordsServlet.class);

  private final transient RecordsPurgeService purges;

  public PurgeTenantRecordsServlet(RecordsPurgeService purges, AdminResponses responses) {
    super(responses);
    this.purges = purges;
  }

  @Override
  protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
    try {
      RecordsPurgeService.Accepted accepted =
          purges.accept(request.getParameter("tenant_id"), TenantPurgeService.Origin.TASK);
      responses.write(
          response,
          HttpServletResponse.SC_ACCEPTED,
          RecordsPurgeAcceptedResponse.of(accepted.tenantId()));
    } catch (ProblemException e) {
      responses.problem(request, response, e);
    } catch (RuntimeException e) {
      if (SqlStates.isConnectionFailure(e)) {
        LOG.warn("admin records purge task: the database is unavailable: {}", e.toString());
        response.setHeader("Retry-After", "1");
        ProblemCode code = ProblemCode.SERVICE_UNAVAILABLE;
        responses.problem(
            request, response, code, code.status(), "the database is unavailable", null);
        return;
      }
      LOG.error("admin records purge task failed", e);
      ProblemCode code = ProblemCode.INTERNAL_SERVER_ERROR;
      responses.problem(
          request, response, code, code.status(), "the purge could not be accepted", null);
    }
  }
}
