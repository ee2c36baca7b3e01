package org.feedbackhub.admin;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.api.Validation;
import org.feedbackhub.db.TenantDataCountsDao;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /console/tenant-counts?tenant_id=...}: how many rows of each kind a purge of the
 * tenant would delete right now, for the console's confirmation step. Read-only.
 */
public final class TenantCountsServlet extends HttpServlet {
  public static final String PATH = "/console/tenant-counts";

  private final transient Jdbi jdbi;
  private final transient AdminResponses responses;

  /**
   * @param jdbi the application's pool: a count of a large tenant may outlast the monitor's timeout
   */
  public TenantCountsServlet(Jdbi jdbi, AdminResponses responses) {
    this.jdbi = jdbi;
    this.responses = responses;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Validation v = new Validation();
    String tenantId = v.tenantId("tenant_id", request.getParameter("tenant_id"));
    try {
      v.throwIfInvalid();
    } catch (ProblemException e) {
      responses.problem(
          request, response, e.code(), e.code().status(), e.getMessage(), e.invalidParams());
      return;
    }
    try {
      String counts =
          jdbi.withExtension(TenantDataCountsDao.class, dao -> dao.countsAsJson(tenantId));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("tenant_id", tenantId);
      body.put("counts", responses.mapper().readTree(counts));
      responses.write(response, HttpServletResponse.SC_OK, body);
    } catch (RuntimeException e) {
      responses.failure(request, response, e, "tenant count");
    }
  }
}
