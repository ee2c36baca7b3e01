package org.feedbackhub.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.core.EmbeddingBackfillService;
import org.feedbackhub.tenant.TenantWriteConflictException;

/**
 * {@code POST /tasks/backfill-embeddings?tenant_id=...}: queues embedding jobs for the tenant's
 * text records that have no vector of the current model. Idempotent; answers {@code {tenant_id,
 * enqueued}}.
 *
 * @implNote A servlet, not a Dropwizard {@code Task}, for the reason {@link PurgeTenantServlet}
 *     gives: a task answers 200 even for a bad tenant id or a tenant under purge, and 500 with a
 *     stack trace when it throws. Here a bad id is a 400 and a purge in progress the retryable 409,
 *     both problem+json.
 */
public final class BackfillEmbeddingsServlet extends AdminPostServlet {
  /** The path on the admin context. */
  public static final String PATH = "/tasks/backfill-embeddings";

  private final transient EmbeddingBackfillService backfill;

  public BackfillEmbeddingsServlet(EmbeddingBackfillService backfill, AdminResponses responses) {
    super(responses);
    this.backfill = backfill;
  }

  /** The answer: the tenant as stored (trimmed) and how many jobs were queued. */
  record Result(String tenantId, long enqueued) {}

  @Override
  protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String tenantId = request.getParameter("tenant_id");
    try {
      long enqueued = backfill.backfill(tenantId);
      responses.write(response, HttpServletResponse.SC_OK, new Result(tenantId.strip(), enqueued));
    } catch (ProblemException e) {
      responses.problem(request, response, e);
    } catch (TenantWriteConflictException e) {
      responses.tenantWriteConflict(request, response, e);
    } catch (RuntimeException e) {
      responses.failure(request, response, e, "backfill");
    }
  }
}
