package org.feedbackhub.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.time.Duration;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /tasks/purge-tenant-records}: the admin port starts the same records-only purge as
 * the API, answers 202 with the API's body, a clear 400 without a tenant id, and 405 to GET.
 */
class PurgeTenantRecordsServletIT {
  static final HubApp APP = HubApp.builder().set("recordsPurge.pollInterval", "50ms").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @Test
  void startsARecordsOnlyPurgeRecordedAsTheTasks() {
    String tenant = TenantIds.fresh("task-rp");
    Db.execute(
        "INSERT INTO feedback_records (source_type, field_id, field_type, tenant_id, submission_id)"
            + " SELECT 'survey', 'q1', 'text', ?, 's' || g FROM generate_series(1, 5) g",
        tenant);
    String task = APP.adminUrl() + PurgeTenantRecordsServlet.PATH;

    AdminHttp.Reply reply = AdminHttp.post(task + "?tenant_id=" + tenant, AdminHttp.csrf());
    AdminHttp.Reply missing = AdminHttp.post(task, AdminHttp.csrf());
    AdminHttp.Reply get = AdminHttp.get(task + "?tenant_id=" + tenant);

    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.json().get("status").asText()).isEqualTo("accepted");
    assertThat(reply.json().get("message").asText())
        .isEqualTo("Feedback records purge accepted for " + tenant);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("code").asText()).isEqualTo("validation");
    assertThat(get.status()).isEqualTo(405);
    await("the task's purge completed")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Db.queryStrings(
                        "SELECT initiated_by || ':' || state FROM tenant_records_purges"
                            + " WHERE tenant_id = ?",
                        tenant)
                    .equals(java.util.List.of("task:completed")));
    assertThat(Db.queryLong("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant))
        .isZero();
  }
}
