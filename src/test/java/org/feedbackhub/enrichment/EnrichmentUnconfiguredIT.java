package org.feedbackhub.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Only translation configured, without a default language, and the reconcile sweep off: the gate
 * order of the status and the retry's 409 before anything else.
 */
class EnrichmentUnconfiguredIT {
  static final HubApp APP =
      HubApp.builder()
          .set("webhooks.dispatcherEnabled", "false")
          .set("enrichment.translation.provider", "openai")
          .set("enrichment.translation.model", "gpt-test")
          .set("enrichment.translation.baseUrl", EnrichmentApps.UNREACHABLE)
          .set("enrichment.reconcileEnabled", "false")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @Test
  void notConfiguredComesFirstThenSwitchedOffThenNoTargetLanguage() {
    String tenant = TenantIds.fresh();
    new EnrichmentFixtures(APP).text(tenant, "hallo", "de");
    APP.put(
        "/v1/tenants/" + tenant + "/settings",
        "{\"sentiment_enabled\":false,\"emotions_enabled\":true}");
    Response response = APP.get("/v1/enrichment-status?tenant_id=" + tenant);
    assertThat(response.getStatus()).isEqualTo(200);
    JsonNode status = response.readEntity(JsonNode.class);
    EnrichmentStatusIT.assertDisabled(status.get("sentiment"), "not_configured");
    EnrichmentStatusIT.assertDisabled(status.get("emotions"), "not_configured");
    EnrichmentStatusIT.assertDisabled(status.get("translation"), "no_target_language");

    APP.put("/v1/tenants/" + tenant + "/settings", "{\"target_language\":\"en\"}");
    JsonNode withTarget =
        APP.get("/v1/enrichment-status?tenant_id=" + tenant).readEntity(JsonNode.class);
    EnrichmentStatusIT.assertCounts(withTarget.get("translation"), 1, 0, 0, 0);
  }

  @Test
  void retryIsAConflictWhileTheSweepIsOffWhateverTheRequest() {
    String tenant = TenantIds.fresh();
    for (String body : new String[] {null, "{}", "{\"enrichments\":[\"nope\"]}", "{bad"}) {
      Reply reply = EnrichmentRetryIT.retry(APP, tenant, body);
      assertThat(reply.status()).as(body).isEqualTo(409);
      JsonNode problem = reply.json();
      assertThat(problem.get("code").asText()).isEqualTo("conflict");
      assertThat(problem.get("detail").asText()).contains("ENRICHMENT_RECONCILE_ENABLED");
    }
    assertThat(EnrichmentRetryIT.retry(APP, "%20", null).status()).isEqualTo(409);
    assertThat(
            Db.queryLong(
                "SELECT count(*) FROM enrichment_retry_cooldowns WHERE tenant_id = ?", tenant))
        .isZero();
  }
}
