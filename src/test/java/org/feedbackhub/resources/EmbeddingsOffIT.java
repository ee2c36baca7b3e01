package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.feedbackhub.testing.WebhookFixtures.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.WebhookFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code EMBEDDING_PROVIDER} unset: search and similar answer 503, writes queue no jobs. */
class EmbeddingsOffIT {
  static final HubApp APP = HubApp.builder().set("webhooks.dispatcherEnabled", "false").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static void assertUnavailable(Response response) {
    assertThat(response.getStatus()).isEqualTo(503);
    JsonNode problem = json(response);
    assertThat(problem.path("code").asText()).isEqualTo("service_unavailable");
    assertThat(problem.path("type").asText())
        .isEqualTo("https://hub.formbricks.com/problems/service-unavailable");
  }

  @Test
  void searchAndSimilarAnswer503AndWritesQueueNoEmbeddingJobs() {
    String tenant = TenantIds.fresh();
    String id = WebhookFixtures.createRecord(APP, tenant);
    assertUnavailable(
        APP.post(
            "/v1/feedback-records/search/semantic",
            "{\"query\":\"hello\",\"tenant_id\":\"" + tenant + "\"}"));
    assertUnavailable(APP.get("/v1/feedback-records/" + id + "/similar"));
    assertThat(
            Db.queryLong(
                "SELECT count(*) FROM outbox_messages WHERE topic = 'embedding' AND tenant_id = ?",
                tenant))
        .isZero();
    // Validation still comes first.
    assertThat(
            APP.post(
                    "/v1/feedback-records/search/semantic",
                    "{\"query\":\" \",\"tenant_id\":\"" + tenant + "\"}")
                .getStatus())
        .isEqualTo(400);
  }
}
