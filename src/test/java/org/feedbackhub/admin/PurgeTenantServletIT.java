package org.feedbackhub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PurgeTenantServletIT {
  static final HubApp APP = HubApp.builder().set("tenantPurgeLockTimeoutSeconds", "1").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static String record(String tenant, String submission) {
    return """
        {"source_type":"survey","field_id":"q1","field_type":"text","submission_id":"%s",
         "tenant_id":"%s","value_text":"hello"}
        """
        .formatted(submission, tenant);
  }

  static String task(String tenantId) {
    return APP.adminUrl()
        + PurgeTenantServlet.PATH
        + "?tenant_id="
        + URLEncoder.encode(tenantId, StandardCharsets.UTF_8);
  }

  @Test
  void purgesLikeTheApiAndRecordsTheHistory() {
    String tenant = TenantIds.fresh();
    assertThat(APP.post("/v1/feedback-records", record(tenant, "s1")).getStatus()).isEqualTo(201);
    assertThat(APP.post("/v1/feedback-records", record(tenant, "s2")).getStatus()).isEqualTo(201);

    AdminHttp.Reply reply = AdminHttp.post(task(tenant), AdminHttp.csrf());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    JsonNode body = reply.json();
    assertThat(body.get("tenant_id").asText()).isEqualTo(tenant);
    assertThat(body.get("deleted_feedback_records").asLong()).isEqualTo(2);
    assertThat(body.get("message").asText()).contains(tenant);
    JsonNode history = AdminHttp.get(APP.adminUrl() + ConsoleMetricsServlet.PATH).json();
    JsonNode row = history.get("history").get(0);
    assertThat(row.get("tenant_id").asText()).isEqualTo(tenant);
    assertThat(row.get("initiated_by").asText()).isEqualTo("task");
    assertThat(row.get("outcome").asText()).isEqualTo("ok");
  }

  @Test
  void purgeOfAnEmptyTenantAnswersZeroCounts() {
    AdminHttp.Reply reply = AdminHttp.post(task(TenantIds.fresh("empty")), AdminHttp.csrf());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("deleted_feedback_records").asLong()).isZero();
  }

  @Test
  void conflictWithAWriterInFlightIsA409WithItsCode() throws Exception {
    String tenant = TenantIds.fresh();
    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      AdminHttp.Reply reply = AdminHttp.post(task(tenant), AdminHttp.csrf());

      assertThat(reply.status()).isEqualTo(409);
      assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
      assertThat(reply.header("Retry-After")).isEqualTo("1");
      JsonNode problem = reply.json();
      assertThat(problem.get("code").asText()).isEqualTo("tenant_write_conflict");
      assertThat(problem.get("detail").asText())
          .isEqualTo("tenant-owned writes in progress; retry purge later");
    }
  }

  @Test
  void missingTenantIdIsA400() {
    AdminHttp.Reply reply =
        AdminHttp.post(APP.adminUrl() + PurgeTenantServlet.PATH, AdminHttp.csrf());

    assertThat(reply.status()).isEqualTo(400);
    JsonNode problem = reply.json();
    assertThat(problem.get("code").asText()).isEqualTo("validation");
    assertThat(problem.get("invalid_params").get(0).get("name").asText()).isEqualTo("tenant_id");
    assertThat(problem.get("invalid_params").get(0).get("reason").asText())
        .isEqualTo("is required");
  }

  @Test
  void garbageTenantIdsAre400sNeverStackTraces() {
    for (String garbage : new String[] {"   ", "x".repeat(300), "a\u0000b"}) {
      AdminHttp.Reply reply = AdminHttp.post(task(garbage), AdminHttp.csrf());

      assertThat(reply.status()).as(garbage).isEqualTo(400);
      assertThat(reply.json().get("code").asText()).isEqualTo("validation");
      assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void getIsA405() {
    AdminHttp.Reply reply = AdminHttp.get(task(TenantIds.fresh()));

    assertThat(reply.status()).isEqualTo(405);
    assertThat(reply.header("Allow")).isEqualTo("POST");
  }

  @Test
  void everyOtherMethodIsA405ProblemNeverA501() {
    for (String method : new String[] {"PATCH", "PUT", "DELETE", "OPTIONS"}) {
      AdminHttp.Reply reply = AdminHttp.send(method, task(TenantIds.fresh()), AdminHttp.csrf());

      assertThat(reply.status()).as(method).isEqualTo(405);
      assertThat(reply.header("Allow")).as(method).isEqualTo("POST");
      assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
      assertThat(reply.json().get("code").asText()).isEqualTo("method_not_allowed");
    }
  }

  @Test
  void problemsCarryTheRequestIdOfTheirHeader() {
    AdminHttp.Reply refused = AdminHttp.post(task("a\u0000b"), AdminHttp.csrf());
    AdminHttp.Reply echoed =
        AdminHttp.post(task(" "), AdminAccessFilter.CSRF_HEADER, "test", "X-Request-ID", "abc-1");

    assertThat(refused.json().get("request_id").asText())
        .isNotEmpty()
        .isEqualTo(refused.header("X-Request-ID"));
    assertThat(echoed.json().get("request_id").asText()).isEqualTo("abc-1");
    assertThat(echoed.header("X-Request-ID")).isEqualTo("abc-1");
  }

  @Test
  void theMainPortServesNoAdminPath() {
    for (String path :
        new String[] {
          PurgeTenantServlet.PATH, LockMonitorServlet.PATH, "/console/", "/prometheus"
        }) {
      AdminHttp.Reply reply = AdminHttp.get(APP.baseUrl() + path);
      assertThat(reply.status()).as(path).isIn(401, 404, 405);
      assertThat(reply.body()).doesNotContain("tenant_write_conflicts");
    }
  }
}
