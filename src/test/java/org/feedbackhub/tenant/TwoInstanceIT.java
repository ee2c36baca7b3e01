package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.feedbackhub.tenant.TenantConflictAssertions.assertWriterRefused;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.tenant.Hub.Reply;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestTags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances on one database serialise through the database alone: a purge queued by one refuses
 * the writers of the other, because both derive the same key and lock id.
 */
@Tag(TestTags.CONCURRENCY)
class TwoInstanceIT {
  static final HubApp FIRST = HubApp.builder().set("tenantPurgeLockTimeoutSeconds", "10").build();
  static final HubApp SECOND = HubApp.builder().set("tenantPurgeLockTimeoutSeconds", "10").build();

  @RegisterExtension static final DropwizardAppExtension<?> FIRST_EXT = FIRST.extension();
  @RegisterExtension static final DropwizardAppExtension<?> SECOND_EXT = SECOND.extension();

  private static PgProbe probe;
  private static ExecutorService executor;

  @BeforeAll
  static void start() {
    probe = new PgProbe();
    executor = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stop() throws Exception {
    executor.shutdownNow();
    probe.close();
  }

  @Test
  void purgeQueuedOnOneInstanceRefusesWritersOnTheOther() throws Exception {
    assertThat(FIRST_EXT.getLocalPort()).isNotEqualTo(SECOND_EXT.getLocalPort());
    String tenant = TenantIds.fresh();
    String record = "/v1/feedback-records/" + Hub.createRecord(SECOND, tenant);

    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      CompletableFuture<Reply> purge = Hub.async(() -> Hub.purge(FIRST, tenant), executor);
      probe.awaitPurgeQueued(tenant);

      assertWriterRefused(Hub.post(SECOND, "/v1/feedback-records", Hub.recordBody(tenant, "u")));
      assertWriterRefused(Hub.patch(SECOND, record, "{\"value_text\":\"x\"}"));
      assertWriterRefused(
          Hub.put(SECOND, "/v1/tenants/" + tenant + "/settings", "{\"sentiment_enabled\":true}"));
      assertThat(purge).isNotDone();

      writer.release();
      Reply done = purge.get(PgProbe.DEADLINE.toSeconds(), TimeUnit.SECONDS);
      assertThat(done.status()).isEqualTo(200);
      assertThat(done.body().get("deleted_feedback_records").asLong()).isEqualTo(1);
    }
    Hub.createRecord(SECOND, tenant);
    assertThat(Hub.recordsOf(FIRST, tenant)).isEqualTo(1);
  }
}
