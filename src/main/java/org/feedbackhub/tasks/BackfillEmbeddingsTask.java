package org.feedbackhub.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.core.EmbeddingBackfillService;
import org.feedbackhub.tenant.TenantWriteConflictException;

/**
 * {@code POST /tasks/backfill-embeddings?tenant_id=...}: queues embedding jobs for the tenant's
 * text records that have no vector of the current model. Idempotent; answers one JSON line.
 */
public final class BackfillEmbeddingsTask extends Task {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EmbeddingBackfillService service;

  public BackfillEmbeddingsTask(EmbeddingBackfillService service) {
    super("backfill-embeddings");
    this.service = service;
  }

  @Override
  public void execute(Map<String, List<String>> parameters, PrintWriter output) {
    List<String> tenant = parameters.getOrDefault("tenant_id", List.of());
    ObjectNode result = JSON.createObjectNode();
    try {
      String tenantId = tenant.isEmpty() ? null : tenant.get(0);
      long enqueued = service.backfill(tenantId);
      result.put("tenant_id", tenantId == null ? null : tenantId.strip());
      result.put("enqueued", enqueued);
    } catch (ProblemException e) {
      result.put("error", "tenant_id is required: 1-255 characters, no NUL");
    } catch (TenantWriteConflictException e) {
      result.put("error", e.getMessage());
    }
    output.println(result);
  }
}
