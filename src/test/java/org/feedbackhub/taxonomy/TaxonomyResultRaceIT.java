package org.feedbackhub.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.MODEL;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.createRunBody;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.embed;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.internal;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.records;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.result;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A record deleted while a taxonomy result naming it is stored: the result answers the same
 * validation problem as for a record that never existed, never a 500 from the foreign key.
 */
@Tag("concurrency")
class TaxonomyResultRaceIT {
  static final HubApp APP =
      HubApp.builder()
          .set("taxonomy.serviceUrl", "http://127.0.0.1:9")
          .set("taxonomy.internalApiToken", TaxonomyFixtures.INTERNAL_TOKEN)
          .set("taxonomy.embeddingModel", MODEL)
          .set("taxonomy.minEmbeddedRecords", "2")
          .set("taxonomy.workerEnabled", "false")
          .set("taxonomy.reaperIntervalSeconds", "3600")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @Test
  void aRecordDeletedWhileTheResultIsStoredIsAValidationProblem() throws Exception {
    String tenant = TenantIds.fresh("race");
    List<String> ids = records(tenant, "formbricks", "s", "q1", 3);
    embed(ids);
    Reply created =
        Reply.of(APP.post("/v1/taxonomy/runs", createRunBody(tenant, "formbricks", "s", "q1")));
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String runId = created.json().path("run").path("id").asText();

    try (Connection deleter = TestDatabase.get().rawConnection("feedback-hub-test-deleter")) {
      deleter.setAutoCommit(false);
      int pid;
      try (PreparedStatement ps =
          deleter.prepareStatement(
              "DELETE FROM feedback_records WHERE id = CAST(? AS uuid)"
                  + " RETURNING pg_backend_pid()")) {
        ps.setString(1, ids.get(2));
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          pid = rs.getInt(1);
        }
      }
      CompletableFuture<Reply> stored =
          CompletableFuture.supplyAsync(
              () ->
                  internal(
                      APP, "PUT", "/internal/v1/taxonomy/runs/" + runId + "/result", result(ids)));
      await("the result store waits for the uncommitted delete")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(10))
          .until(
              () ->
                  Db.queryLong(
                          "SELECT count(*) FROM pg_stat_activity"
                              + " WHERE ? = ANY(pg_blocking_pids(pid))",
                          pid)
                      >= 1);
      deleter.commit();

      Reply reply = stored.get(30, TimeUnit.SECONDS);
      assertThat(reply.status()).as(reply.body()).isEqualTo(400);
      assertThat(reply.json().path("code").asText()).isEqualTo("validation");
      assertThat(reply.json().path("invalid_params").get(0).path("name").asText())
          .isEqualTo("memberships[2].feedback_record_id");
    }
    assertThat(
            Db.queryStrings(
                "SELECT status::text FROM taxonomy_runs WHERE id = CAST(? AS uuid)", runId))
        .containsExactly("pending");
    assertThat(
            Db.queryLong(
                "SELECT count(*) FROM taxonomy_cluster_memberships WHERE run_id = CAST(? AS uuid)",
                runId))
        .isZero();
  }
}
