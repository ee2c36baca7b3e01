package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.feedbackhub.tenant.TenantConflictAssertions.assertPurgeTimedOut;
import static org.feedbackhub.tenant.TenantConflictAssertions.assertWriterRefused;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestTags;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conflicts and purge waits show in the admin port's metrics: what the reference only logged,
 * feedback-hub counts.
 */
@Tag(TestTags.CONCURRENCY)
class TenantConflictMetricsIT {
  private static final String RESOURCE = "org.feedbackhub.resources.FeedbackRecordsResource";

  static final HubApp APP = HubApp.builder().set("tenantPurgeLockTimeoutSeconds", "1").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private static JsonNode metrics() {
    return APP.client().target(APP.adminUrl() + "/metrics").request().get(JsonNode.class);
  }

  private static long count(JsonNode metrics, String section, String name) {
    JsonNode metric = metrics.path(section).path(name);
    assertThat(metric.isMissingNode()).as("%s %s exists", section, name).isFalse();
    return metric.path("count").asLong();
  }

  @Test
  void writerConflictsPurgeTimeoutsAndPurgesAreCounted() throws Exception {
    String tenant = TenantIds.fresh();
    String record = "/v1/feedback-records/" + Hub.createRecord(APP, tenant);
    JsonNode before = metrics();

    try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
      assertWriterRefused(Hub.post(APP, "/v1/feedback-records", Hub.recordBody(tenant, "u")));
      assertWriterRefused(Hub.patch(APP, record, "{\"value_text\":\"x\"}"));
    }
    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      assertPurgeTimedOut(Hub.purge(APP, tenant));
    }
    assertThat(Hub.purge(APP, tenant).status()).isEqualTo(200);

    JsonNode after = metrics();
    String[][] counters = {
      {"tenant_write_conflicts.writer_refused.feedback_record.create", "1"},
      {"tenant_write_conflicts.writer_refused.feedback_record.update", "1"},
      {"tenant_write_conflicts.writer_refused.total", "2"},
      {"tenant_write_conflicts.purge_timed_out.tenant.purge", "1"},
      {"tenant_write_conflicts.purge_timed_out.total", "1"},
      {"tenant_write_conflicts.drift_guard.total", "0"},
      {"tenant_write_conflicts.total", "3"},
      {"tenant_purge.outcome.ok", "1"},
      {"tenant_purge.outcome.timed_out", "1"},
      {"tenant_purge.outcome.failed", "0"},
    };
    for (String[] counter : counters) {
      long delta =
          count(after, "counters", counter[0])
              - before.path("counters").path(counter[0]).path("count").asLong();
      assertThat(delta).as(counter[0]).isEqualTo(Long.parseLong(counter[1]));
    }
    assertThat(count(after, "timers", "tenant_purge.lock_wait")).isEqualTo(2);
    assertThat(count(after, "timers", "tenant_purge.duration")).isEqualTo(2);
    assertThat(after.at("/timers/tenant_purge.lock_wait/max").asDouble())
        .as("the timed-out wait, in seconds")
        .isGreaterThanOrEqualTo(0.9);

    assertThat(count(after, "timers", RESOURCE + ".create")).isEqualTo(2);
    assertThat(count(after, "timers", RESOURCE + ".update")).isEqualTo(1);
    assertThat(count(after, "meters", RESOURCE + ".create.exceptions")).isEqualTo(1);
    assertThat(count(after, "timers", "org.feedbackhub.resources.TenantsResource.deleteData"))
        .isEqualTo(2);
  }
}
