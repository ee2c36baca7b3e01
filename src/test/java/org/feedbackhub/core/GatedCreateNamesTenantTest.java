package org.feedbackhub.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.feedbackhub.api.CreateFeedbackRecordRequest;
import org.feedbackhub.tenant.TenantConflictMetrics;
import org.feedbackhub.tenant.TenantWriteLock;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/**
 * A feedback record create, a single gated statement, tells the lock module its tenant, so the
 * console can name a tenant whose only writes are creates.
 */
class GatedCreateNamesTenantTest {
  final Jdbi jdbi =
      Jdbi.create(TestDatabase.get().dataSource())
          .installPlugin(new SqlObjectPlugin())
          .installPlugin(new PostgresPlugin());
  final List<String> lockedTenants = new CopyOnWriteArrayList<>();
  final MetricRegistry registry = new MetricRegistry();
  final TenantWriteLock lock =
      new TenantWriteLock(new TenantConflictMetrics(registry), registry, lockedTenants::add);

  @Test
  void aFeedbackRecordCreateNamesItsTenant() throws Exception {
    String tenant = TenantIds.fresh();
    CreateFeedbackRecordRequest request =
        new ObjectMapper()
            .readValue(
                """
                {"source_type":"survey","field_id":"q1","field_type":"text",
                 "submission_id":"s1","tenant_id":"%s","value_text":"hello"}
                """
                    .formatted(tenant),
                CreateFeedbackRecordRequest.class);
    try {
      new FeedbackRecordService(jdbi, lock).create(request);
      assertThat(lockedTenants).containsExactly(tenant);
    } finally {
      Db.execute("DELETE FROM feedback_records WHERE tenant_id = ?", tenant);
      Db.execute("DELETE FROM outbox_messages WHERE tenant_id = ?", tenant);
    }
  }
}
