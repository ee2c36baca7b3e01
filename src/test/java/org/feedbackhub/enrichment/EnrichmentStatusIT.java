package org.feedbackhub.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/enrichment-status} with all three kinds configured (the provider is never called:
 * the state is set as finished jobs leave it) and {@code TRANSLATION_DEFAULT_LANGUAGE=en}.
 */
class EnrichmentStatusIT {
  static final HubApp APP = EnrichmentApps.allConfigured().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private final EnrichmentFixtures fixtures = new EnrichmentFixtures(APP);

  private static JsonNode status(String tenant) {
    return status(APP, tenant);
  }

  static JsonNode status(HubApp app, String tenant) {
    Response response = app.get("/v1/enrichment-status?tenant_id=" + tenant);
    assertThat(response.getStatus()).as(response.readEntity(String.class)).isEqualTo(200);
    return response.readEntity(JsonNode.class);
  }

  static void assertCounts(
      JsonNode kind, long eligible, long done, long failed, long failedTerminal) {
    assertThat(kind.get("enabled").asBoolean()).as(kind.toString()).isTrue();
    assertThat(kind.has("disabled_reason")).as(kind.toString()).isFalse();
    assertThat(kind.get("eligible").asLong()).as("eligible of " + kind).isEqualTo(eligible);
    assertThat(kind.get("done").asLong()).as("done of " + kind).isEqualTo(done);
    assertThat(kind.get("failed").asLong()).as("failed of " + kind).isEqualTo(failed);
    assertThat(kind.get("failed_terminal").asLong())
        .as("failed_terminal of " + kind)
        .isEqualTo(failedTerminal);
  }

  static void assertDisabled(JsonNode kind, String reason) {
    assertThat(kind.get("enabled").asBoolean()).as(kind.toString()).isFalse();
    assertThat(kind.get("disabled_reason").asText()).isEqualTo(reason);
    for (String count : new String[] {"eligible", "done", "failed", "failed_terminal"}) {
      assertThat(kind.get(count).asLong()).as(count).isZero();
    }
  }

  @Test
  void countsAreExactForATenantWithAMix() {
    String tenant = TenantIds.fresh();
    // Enriched in every way, text in German.
    String done = fixtures.text(tenant, "Sehr gut", "de");
    fixtures.sentiment(done, "positive", 0.8);
    fixtures.emotions(done, "joy");
    fixtures.translation(done, "Very good", "en");
    // Nothing done yet: a sentiment that gave up retrying, emotions and translation refused.
    String failing = fixtures.text(tenant, "Schlecht\nwirklich", "de");
    fixtures.failure(failing, "sentiment", false, "provider_error");
    fixtures.failure(failing, "emotions", true, "content_policy");
    fixtures.failure(failing, "translation", true, "refusal");
    // Already in the target language; sentiment refused, emotions answered "none".
    String english = fixtures.text(tenant, "fine", "en-GB");
    fixtures.failure(english, "sentiment", true, "input_too_long");
    fixtures.noEmotions(english, false);
    // Blank text and a number: eligible for nothing, a marker on the blank one does not count.
    String blank = fixtures.text(tenant, "   ", "de");
    fixtures.failure(blank, "sentiment", true, "refusal");
    fixtures.record(tenant, "number", null, "de");
    // No language: never translated; a later success outweighs its old marker, a marker for an
    // older text does not count.
    String noLanguage = fixtures.text(tenant, "ok", null);
    fixtures.failure(noLanguage, "sentiment", false, "provider_error");
    fixtures.sentiment(noLanguage, "neutral", 0);
    fixtures.staleFailure(noLanguage, "emotions", true, "refusal");
    // French, translated into an earlier target; its "none" answer was for an older text.
    String french = fixtures.text(tenant, "bien", "fr");
    fixtures.translation(french, "gut", "de");
    fixtures.noEmotions(french, true);
    // Another tenant's records never count.
    String other = TenantIds.fresh();
    String foreign = fixtures.text(other, "x", "de");
    fixtures.failure(foreign, "sentiment", true, "refusal");

    Instant before = Instant.now();
    JsonNode status = status(tenant);
    assertThat(status.get("tenant_id").asText()).isEqualTo(tenant);
    assertThat(Instant.parse(status.get("as_of").asText())).isAfterOrEqualTo(before);
    assertCounts(status.get("sentiment"), 5, 2, 1, 1);
    assertCounts(status.get("emotions"), 5, 2, 0, 1);
    assertCounts(status.get("translation"), 3, 1, 0, 1);
    assertThat(status.toString()).doesNotContain(done).doesNotContain("Sehr gut");
  }

  @Test
  void changedTextOutdatesItsMarkersWithoutACleanupWrite() {
    String tenant = TenantIds.fresh();
    String id = fixtures.text(tenant, "first", "de");
    fixtures.failure(id, "sentiment", true, "refusal");
    fixtures.noEmotions(id, false);
    assertCounts(status(tenant).get("sentiment"), 1, 0, 0, 1);
    assertCounts(status(tenant).get("emotions"), 1, 1, 0, 0);

    Response patched = APP.patch("/v1/feedback-records/" + id, "{\"value_text\":\"second\"}");
    assertThat(patched.getStatus()).isEqualTo(200);
    assertCounts(status(tenant).get("sentiment"), 1, 0, 0, 0);
    assertCounts(status(tenant).get("emotions"), 1, 0, 0, 0);
  }

  @Test
  void switchedOffKindsReportItAndTheTenantTargetWinsOverTheDefault() {
    String tenant = TenantIds.fresh();
    String german = fixtures.text(tenant, "Hallo", "de");
    fixtures.translation(german, "Hello", "en");
    fixtures.text(tenant, "Hello", "en");
    assertCounts(status(tenant).get("translation"), 1, 1, 0, 0);

    Response put =
        APP.put(
            "/v1/tenants/" + tenant + "/settings",
            "{\"sentiment_enabled\":false,\"emotions_enabled\":false,\"target_language\":\"de\"}");
    assertThat(put.getStatus()).isEqualTo(200);
    JsonNode status = status(tenant);
    assertDisabled(status.get("sentiment"), "switched_off");
    assertDisabled(status.get("emotions"), "switched_off");
    // Target de: the English record needs it, the German one does not, nothing is in de yet.
    assertCounts(status.get("translation"), 1, 0, 0, 0);

    Response patch =
        APP.patch("/v1/tenants/" + tenant + "/settings", "{\"sentiment_enabled\":null}");
    assertThat(patch.getStatus()).isEqualTo(200);
    assertCounts(status(tenant).get("sentiment"), 2, 0, 0, 0);
  }

  @Test
  void anEmptyTenantHasZeroCounts() {
    JsonNode status = status(TenantIds.fresh());
    assertCounts(status.get("translation"), 0, 0, 0, 0);
    assertCounts(status.get("sentiment"), 0, 0, 0, 0);
    assertCounts(status.get("emotions"), 0, 0, 0, 0);
  }

  @Test
  void theTenantIdIsRequiredAndChecked() {
    for (String query : new String[] {"", "?tenant_id=", "?tenant_id=%20%20", "?other=x"}) {
      Response response = APP.get("/v1/enrichment-status" + query);
      assertThat(response.getStatus()).as(query).isEqualTo(400);
      JsonNode problem = response.readEntity(JsonNode.class);
      assertThat(problem.get("code").asText()).isEqualTo("validation");
      assertThat(problem.toString()).contains("tenant_id");
    }
    Response tooLong = APP.get("/v1/enrichment-status?tenant_id=" + "t".repeat(256));
    assertThat(tooLong.getStatus()).isEqualTo(400);
    Response nul = APP.get("/v1/enrichment-status?tenant_id=a%00b");
    assertThat(nul.getStatus()).isEqualTo(400);
    assertThat(nul.readEntity(JsonNode.class).get("code").asText()).isEqualTo("validation");
  }

  @Test
  void needsTheApiKey() {
    Response response =
        APP.client().target(APP.baseUrl() + "/v1/enrichment-status?tenant_id=x").request().get();
    assertThat(response.getStatus()).isEqualTo(401);
    Response retry =
        APP.client().target(APP.baseUrl() + "/v1/tenants/x/enrichments/retry").request().post(null);
    assertThat(retry.getStatus()).isEqualTo(401);
  }
}
