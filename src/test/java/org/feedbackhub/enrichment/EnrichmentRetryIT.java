package org.feedbackhub.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.RawHttp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /v1/tenants/{tenant_id}/enrichments/retry} with every kind configured and the
 * reconcile sweep on; and the {@code /data} purge's handling of enrichment rows.
 */
class EnrichmentRetryIT {
  static final HubApp APP = EnrichmentApps.allConfigured().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private final EnrichmentFixtures fixtures = new EnrichmentFixtures(APP);

  /** A retry with {@code body}, or with no body at all ({@code Content-Length: 0}) for null. */
  static Reply retry(HubApp app, String tenant, String body) {
    String path = "/v1/tenants/" + tenant + "/enrichments/retry";
    return body == null
        ? new RawHttp(app.baseUrl()).send("POST", path, "Authorization", "Bearer " + HubApp.API_KEY)
        : Reply.of(app.post(path, body));
  }

  private static Reply retry(String tenant, String body) {
    return retry(APP, tenant, body);
  }

  private static JsonNode accepted(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    return reply.json();
  }

  private static long markers(String tenant, boolean terminal) {
    return Db.queryLong(
        "SELECT count(*) FROM feedback_record_enrichment_failures"
            + " WHERE tenant_id = ? AND terminal = ?",
        tenant,
        terminal);
  }

  private static long cooldowns(String tenant) {
    return Db.queryLong(
        "SELECT count(*) FROM enrichment_retry_cooldowns WHERE tenant_id = ?", tenant);
  }

  /** Two terminal sentiment markers, one terminal emotions marker, one retryable sentiment one. */
  private String tenantWithFailures() {
    String tenant = TenantIds.fresh();
    String a = fixtures.text(tenant, "one", "de");
    String b = fixtures.text(tenant, "two", "de");
    String c = fixtures.text(tenant, "three", "de");
    fixtures.failure(a, "sentiment", true, "refusal");
    fixtures.failure(b, "sentiment", true, "content_policy");
    fixtures.failure(a, "emotions", true, "input_too_long");
    fixtures.failure(c, "sentiment", false, "provider_error");
    return tenant;
  }

  @Test
  void clearsTerminalMarkersOfEveryKindThenCoolsDown() {
    String tenant = tenantWithFailures();
    JsonNode first = accepted(retry(tenant, null));
    assertThat(first.get("tenant_id").asText()).isEqualTo(tenant);
    assertThat(first.get("results").toString())
        .isEqualTo(
            "[{\"enrichment\":\"translation\",\"outcome\":\"cleared\",\"cleared\":0},"
                + "{\"enrichment\":\"sentiment\",\"outcome\":\"cleared\",\"cleared\":2},"
                + "{\"enrichment\":\"emotions\",\"outcome\":\"cleared\",\"cleared\":1}]");
    assertThat(markers(tenant, true)).isZero();
    assertThat(markers(tenant, false)).as("retryable markers stay").isOne();
    assertThat(EnrichmentStatusIT.status(APP, tenant).get("sentiment").get("failed").asLong())
        .isOne();

    fixtures.failure(fixtures.text(tenant, "four", "de"), "sentiment", true, "refusal");
    JsonNode second = accepted(retry(tenant, "{}"));
    for (JsonNode result : second.get("results")) {
      assertThat(result.get("outcome").asText()).isEqualTo("cooling_down");
      assertThat(result.get("cleared").asLong()).isZero();
      assertThat(result.get("retry_after_seconds").asLong()).isBetween(3500L, 3600L);
      assertThat(result.has("disabled_reason")).isFalse();
    }
    assertThat(markers(tenant, true)).as("nothing cleared while cooling down").isOne();
  }

  @Test
  void namesAreTrimmedAndDeduplicatedAndTheCooldownIsPerKind() {
    String tenant = tenantWithFailures();
    JsonNode sentiment =
        accepted(retry(tenant, "{\"enrichments\":[\" sentiment \",\"sentiment\"]}"));
    assertThat(sentiment.get("results").toString())
        .isEqualTo("[{\"enrichment\":\"sentiment\",\"outcome\":\"cleared\",\"cleared\":2}]");
    JsonNode both = accepted(retry(tenant, "{\"enrichments\":[\"emotions\",\"sentiment\"]}"));
    assertThat(both.get("results").get(0).get("outcome").asText()).isEqualTo("cleared");
    assertThat(both.get("results").get(0).get("cleared").asLong()).isOne();
    assertThat(both.get("results").get(1).get("outcome").asText()).isEqualTo("cooling_down");
    assertThat(accepted(retry(tenant, "{\"enrichments\":[]}")).get("results")).hasSize(3);
  }

  @Test
  void aCooldownOlderThanAnHourClearsAgain() {
    String tenant = tenantWithFailures();
    accepted(retry(tenant, "{\"enrichments\":[\"sentiment\"]}"));
    fixtures.failure(fixtures.text(tenant, "later", "de"), "sentiment", true, "refusal");
    Db.execute(
        "UPDATE enrichment_retry_cooldowns SET cleared_at = now() - interval '61 minutes'"
            + " WHERE tenant_id = ?",
        tenant);
    JsonNode again = accepted(retry(tenant, "{\"enrichments\":[\"sentiment\"]}"));
    assertThat(again.get("results").get(0).get("cleared").asLong()).isOne();
  }

  @Test
  void aClosedGateIsDisabledAndSpendsNoCooldown() {
    String tenant = tenantWithFailures();
    APP.put("/v1/tenants/" + tenant + "/settings", "{\"emotions_enabled\":false}");
    JsonNode result = accepted(retry(tenant, "{\"enrichments\":[\"emotions\"]}"));
    assertThat(result.get("results").toString())
        .isEqualTo(
            "[{\"enrichment\":\"emotions\",\"outcome\":\"disabled\",\"cleared\":0,"
                + "\"disabled_reason\":\"switched_off\"}]");
    assertThat(cooldowns(tenant)).isZero();
    assertThat(markers(tenant, true)).isEqualTo(3);
  }

  @Test
  void aPurgeHoldingTheTenantLockRefusesItAndNothingChanges() throws Exception {
    String tenant = tenantWithFailures();
    try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
      Reply refused = retry(tenant, null);
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.json().get("code").asText()).isEqualTo("tenant_write_conflict");
    }
    assertThat(markers(tenant, true)).isEqualTo(3);
    assertThat(cooldowns(tenant)).isZero();
    assertThat(accepted(retry(tenant, null)).get("results").get(1).get("cleared").asLong())
        .isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"enrichments\":[\"nope\"]}",
        "{\"enrichments\":[\"sentiment\",\"Sentiment\"]}",
        "{\"enrichments\":[1]}",
        "{\"enrichments\":[null]}",
        "{\"enrichments\":\"sentiment\"}",
        "{\"enrichments\":{}}",
        "{\"enrichments\":[],\"tenant_id\":\"x\"}",
        "[]",
        "\"sentiment\"",
        "42"
      })
  void badBodiesAreValidationErrorsAndChangeNothing(String body) {
    String tenant = tenantWithFailures();
    Reply reply = retry(tenant, body);
    assertThat(reply.status()).as(body).isEqualTo(400);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.json().get("code").asText()).isEqualTo("validation");
    assertThat(cooldowns(tenant)).isZero();
    assertThat(markers(tenant, true)).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"enrichments\":[}", "{\"a\":1,\"a\":2}", "nul"})
  void unparsableJsonIsABadRequest(String body) {
    String tenant = tenantWithFailures();
    Reply reply = retry(tenant, body);
    assertThat(reply.status()).as(body).isEqualTo(400);
    assertThat(reply.json().get("detail").asText()).isEqualTo("Invalid JSON body");
    assertThat(cooldowns(tenant)).isZero();
  }

  @Test
  void aBodyOver4KibIs413() {
    String tenant = tenantWithFailures();
    String body = "{\"enrichments\":[" + "\"sentiment\",".repeat(400) + "\"sentiment\"]}";
    assertThat(body.length()).isGreaterThan(4096);
    assertThat(retry(tenant, body).status()).isEqualTo(413);
    assertThat(cooldowns(tenant)).isZero();
    String fits = "{\"enrichments\":[" + "\"sentiment\",".repeat(300) + "\"sentiment\"]}";
    assertThat(fits.length()).isLessThan(4096);
    assertThat(accepted(retry(tenant, fits)).get("results")).hasSize(1);
  }

  @Test
  void anyContentTypeAndAnEmptyBodyMeanEveryKind() {
    String tenant = tenantWithFailures();
    Reply text =
        Reply.of(
            APP.request("/v1/tenants/" + tenant + "/enrichments/retry")
                .post(Entity.entity("", MediaType.TEXT_PLAIN_TYPE)));
    assertThat(accepted(text).get("results")).hasSize(3);
    assertThat(accepted(retry(APP, TenantIds.fresh(), "")).get("results")).hasSize(3);
  }

  @Test
  void badTenantIdsAreValidationErrors() {
    for (String tenant : new String[] {"%20", "%20%20", "t".repeat(256)}) {
      Reply reply = retry(tenant, null);
      assertThat(reply.status()).as(tenant).isEqualTo(400);
      assertThat(reply.json().get("code").asText()).isEqualTo("validation");
      assertThat(reply.body()).contains("tenant_id");
    }
    // A NUL in the path is refused (400) before it reaches the resource.
    assertThat(retry("a%00b", null).status()).isEqualTo(400);
  }

  @Test
  void theDataPurgeDeletesMarkersWithTheirRecordsAndKeepsTheCooldown() {
    String tenant = tenantWithFailures();
    String none = fixtures.text(tenant, "meh", "de");
    fixtures.noEmotions(none, false);
    accepted(retry(tenant, "{\"enrichments\":[\"translation\"]}"));
    String neighbour = tenantWithFailures();

    Response purge = APP.delete("/v1/tenants/" + tenant + "/data");
    assertThat(purge.getStatus()).isEqualTo(200);
    JsonNode counts = purge.readEntity(JsonNode.class);
    assertThat(counts.get("deleted_feedback_records").asLong()).isEqualTo(4);
    assertThat(counts.get("deleted_embeddings").asLong()).isZero();
    assertThat(markers(tenant, true) + markers(tenant, false)).isZero();
    assertThat(
            Db.queryLong(
                "SELECT count(*) FROM feedback_record_enrichment_empty_results WHERE tenant_id = ?",
                tenant))
        .isZero();
    assertThat(cooldowns(tenant)).as("cooldowns are configuration").isOne();
    assertThat(markers(neighbour, true)).isEqualTo(3);
    JsonNode cooling = accepted(retry(tenant, "{\"enrichments\":[\"translation\"]}"));
    assertThat(cooling.get("results").get(0).get("outcome").asText()).isEqualTo("cooling_down");
  }
}
