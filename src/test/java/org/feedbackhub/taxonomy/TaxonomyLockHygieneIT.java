package org.feedbackhub.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.MODEL;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.createRunBody;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.embed;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.internal;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.records;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.result;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.List;
import java.util.UUID;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every taxonomy failure path inside a locked transaction rolls back fully: with a pool of one
 * connection, a leaked transaction or advisory lock would show at once.
 */
@Tag("concurrency")
class TaxonomyLockHygieneIT {
  static final String POOL = "feedback-hub-taxonomy-hygiene";

  static final HubApp APP =
      HubApp.builder()
          .set("database.maxConnections", "1")
          .set("database.applicationName", POOL)
          .set("taxonomy.serviceUrl", "http://127.0.0.1:9")
          .set("taxonomy.internalApiToken", TaxonomyFixtures.INTERNAL_TOKEN)
          .set("taxonomy.embeddingModel", MODEL)
          .set("taxonomy.minEmbeddedRecords", "3")
          .set("taxonomy.workerEnabled", "false")
          .set("taxonomy.reaperIntervalSeconds", "3600")
          .set("webhooks.dispatcherEnabled", "false")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @Test
  void failedTaxonomyWritesLeaveNoTransactionOrLockBehind() throws Exception {
    String tenant = TenantIds.fresh("hygiene");
    String other = TenantIds.fresh("hygiene-other");
    List<String> ids = records(tenant, "formbricks", "s", "q1", 3);
    embed(ids);
    List<String> strangers = records(other, "formbricks", "s", "q1", 3);
    embed(records(tenant, "formbricks", "s", "thin", 1));

    // 400 after the tenant and scope locks: too few embedded records.
    assertThat(
            status(APP.post("/v1/taxonomy/runs", createRunBody(tenant, "formbricks", "s", "thin"))))
        .isEqualTo(400);
    String runId =
        Reply.of(APP.post("/v1/taxonomy/runs", createRunBody(tenant, "formbricks", "s", "q1")))
            .json()
            .path("run")
            .path("id")
            .asText();
    String base = "/internal/v1/taxonomy/runs/" + runId;
    // 400 after the tenant lock and the run's row lock: a record of another tenant.
    List<String> mixed = List.of(ids.get(0), ids.get(1), strangers.get(0));
    assertThat(internal(APP, "PUT", base + "/result", result(mixed)).status()).isEqualTo(400);
    // 404 after the tenant lock: no such node of the tenant.
    String rename = "{\"tenant_id\":\"" + tenant + "\",\"actor_id\":\"a\",\"label\":\"L\"}";
    assertThat(status(APP.patch("/v1/taxonomy/nodes/" + UUID.randomUUID(), rename))).isEqualTo(404);
    // 409 tenant_write_conflict at the lock.
    try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
      assertThat(internal(APP, "POST", base + "/heartbeat", "{}").status()).isEqualTo(409);
      assertThat(
              status(APP.post("/v1/taxonomy/runs", createRunBody(tenant, "formbricks", "s", "q1"))))
          .isEqualTo(409);
    }
    // 409 conflict after the lock: an illegal transition.
    assertThat(internal(APP, "POST", base + "/failed", "{\"error\":\"x\"}").status())
        .isEqualTo(200);
    assertThat(internal(APP, "POST", base + "/heartbeat", "{}").status()).isEqualTo(409);
    assertThat(internal(APP, "PUT", base + "/result", result(ids)).status()).isEqualTo(409);

    // The pool's one session is there to look at (so the checks below are not vacuous).
    assertThat(
            Db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", POOL))
        .isEqualTo(1);
    assertThat(
            Db.queryLong(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
                    + " AND state LIKE 'idle in transaction%'",
                POOL))
        .isZero();
    assertThat(
            Db.queryLong(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    + " WHERE l.locktype = 'advisory' AND a.application_name = ?",
                POOL))
        .isZero();
    // The single pooled connection still serves.
    assertThat(status(APP.get("/v1/taxonomy/runs/" + runId + "?tenant_id=" + tenant)))
        .isEqualTo(200);
  }

  private static int status(jakarta.ws.rs.core.Response response) {
    return Reply.of(response).status();
  }
}
