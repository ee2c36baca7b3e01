package org.feedbackhub.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.core.TenantPurgeService;
import org.feedbackhub.tenant.TenantWriteConflictException;

/**
 * {@code POST /tasks/purge-tenant?tenant_id=...}: the admin port's tenant purge, the very same
 * service call as {@code DELETE /v1/tenants/{id}/data}.
 *
 * @implNote A servlet, not a Dropwizard {@code Task}: Dropwizard's {@code TaskServlet} answers 200
 *     unless the task throws, and then 500 with the stack trace in the body, so a task can neither
 *     answer 409 for a conflict nor 400 for a bad id. Mapped at the exact path, which the servlet
 *     spec prefers over the {@code /tasks/*} prefix of Dropwizard's task servlet.
 */
public final class PurgeTenantServlet extends AdminPostServlet {
  /** The path on the admin context. */
  public static final String PATH = "/tasks/purge-tenant";

  private final transient TenantPurgeService purge;

  public PurgeTenantServlet(TenantPurgeService purge, AdminResponses responses) {
    super(responses);
    this.purge = purge;
  }

  @Override
  protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
    try {
      var result = purge.purge(request.getParameter("tenant_id"), TenantPurgeService.Origin.TASK);
      responses.write(response, HttpServletResponse.SC_OK, result);
    } catch (ProblemException e) {
      responses.problem(request, response, e);
    } catch (TenantWriteConflictException e) {
      responses.tenantWriteConflict(request, response, e);
    } catch (RuntimeException e) {
      responses.failure(request, response, e, "purge");
    }
  }
}
