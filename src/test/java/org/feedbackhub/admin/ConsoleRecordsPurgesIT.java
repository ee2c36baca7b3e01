package org.feedbackhub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /console/metrics} shows records-only purges from their history: state, mark, batches
 * and counts so far, and for an active one the records still at or below its mark.
 */
class ConsoleRecordsPurgesIT {
  static final HubApp APP = HubApp.builder().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @Test
  void runningPurgeShowsItsProgressAndRecordsLeftBelowItsMark() {
    String tenant = TenantIds.fresh("console-rp");
    Db.execute(
        """
        INSERT INTO feedback_records (source_type, field_id, field_type, tenant_id, submission_id)
        SELECT 'survey', 'q1', 'text', ?, 'c-' || g FROM generate_series(1, 7) g
        """,
        tenant);
    String mark =
        Db.queryStrings(
                "SELECT id::text FROM feedback_records WHERE tenant_id = ?"
                    + " ORDER BY id DESC LIMIT 1 OFFSET 2",
                tenant)
            .get(0);
    Db.execute(
        "INSERT INTO tenant_records_purges (tenant_id, state, high_water_mark, initiated_by,"
            + " attempts, batches_done, deleted_feedback_records, started_at)"
            + " VALUES (?, 'running', ?::uuid, 'task', 2, 3, 6000, now())",
        tenant,
        mark);

    JsonNode feed = AdminHttp.get(APP.adminUrl() + ConsoleMetricsServlet.PATH).json();

    JsonNode purges = feed.get("records_purges");
    assertThat(purges.get("outcomes").get("completed").asLong()).isNotNegative();
    JsonNode row = rowOf(purges.get("history"), tenant);
    assertThat(row.get("tenant_id").asText()).isEqualTo(tenant);
    assertThat(row.get("state").asText()).isEqualTo("running");
    assertThat(row.get("high_water_mark").asText()).isEqualTo(mark);
    assertThat(row.get("records_left").asLong()).as("7 records, 2 above the mark").isEqualTo(5);
    assertThat(row.get("batches_done").asInt()).isEqualTo(3);
    assertThat(row.get("attempts").asInt()).isEqualTo(2);
    assertThat(row.get("deleted_counts").get("feedback_records").asLong()).isEqualTo(6000);
    assertThat(row.get("initiated_by").asText()).isEqualTo("task");

    Db.execute(
        "UPDATE tenant_records_purges SET state = 'completed', finished_at = now()"
            + " WHERE tenant_id = ?",
        tenant);
    JsonNode done =
        rowOf(
            AdminHttp.get(APP.adminUrl() + ConsoleMetricsServlet.PATH)
                .json()
                .get("records_purges")
                .get("history"),
            tenant);
    assertThat(done.get("state").asText()).isEqualTo("completed");
    assertThat(done.get("records_left").isNull())
        .as("only active purges count what is left")
        .isTrue();
  }

  private static JsonNode rowOf(JsonNode history, String tenant) {
    for (JsonNode row : history) {
      if (tenant.equals(row.get("tenant_id").asText())) {
        return row;
      }
    }
    throw new AssertionError("no records-only purge of " + tenant + " in " + history);
  }
}
