package org.feedbackhub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The admin port maps its failures as the API port does: a wrong method is a 405 problem with
 * {@code Allow} on every path, retryable answers say {@code x-should-retry}, and Dropwizard's task
 * list names feedback-hub's tasks.
 */
class AdminProblemMappingIT {
  static final HubApp APP =
      HubApp.builder()
          .set("tenantPurgeLockTimeoutSeconds", "1")
          .set("embeddings.provider", "openai")
          .set("embeddings.model", "test-model")
          .set("embeddings.apiKey", "sk-test")
          .set("embeddings.baseUrl", "http://127.0.0.1:9")
          .set("embeddings.workerEnabled", "false")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @ParameterizedTest
  @CsvSource({
    "PATCH, /locks, 'GET, HEAD'",
    "POST, /locks, 'GET, HEAD'",
    "PATCH, /console/metrics, 'GET, HEAD'",
    "DELETE, /console/tenant-counts, 'GET, HEAD'",
    "PUT, /console/, 'GET, HEAD'",
    "PATCH, /healthcheck, 'GET, HEAD'",
    "PATCH, /ping, 'GET, HEAD'",
    "PATCH, /tasks, 'GET, HEAD'",
    "GET, /tasks/purge-tenant, POST",
    "PATCH, /tasks/backfill-embeddings, POST",
    "GET, /tasks/gc, POST",
    "OPTIONS, /tasks/log-level, POST",
  })
  void aWrongMethodIsA405WithAllowOnEveryPath(String method, String path, String allow) {
    AdminHttp.Reply reply = AdminHttp.send(method, APP.adminUrl() + path, AdminHttp.csrf());
    assertThat(reply.status()).as(reply.body()).isEqualTo(405);
    assertThat(reply.header("Allow")).isEqualTo(allow);
    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    assertThat(reply.json().get("code").asText()).isEqualTo("method_not_allowed");
  }

  @Test
  void aTenantWriteConflictOnTheAdminPortSaysRetry() throws Exception {
    String tenant = TenantIds.fresh();
    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      AdminHttp.Reply reply =
          AdminHttp.post(
              APP.adminUrl() + PurgeTenantServlet.PATH + "?tenant_id=" + tenant, AdminHttp.csrf());
      assertThat(reply.status()).isEqualTo(409);
      assertThat(reply.header("Retry-After")).isEqualTo("1");
      assertThat(reply.header("x-should-retry")).isEqualTo("true");
    }
  }

  @Test
  void dropwizardsTaskListNamesThePurgeAndBackfillTasks() {
    AdminHttp.Reply reply = AdminHttp.get(APP.adminUrl() + "/tasks");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().lines())
        .contains("purge-tenant", "backfill-embeddings", "log-level", "gc");
  }
}
