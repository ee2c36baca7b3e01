package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.feedbackhub.reliability.HostileCases.assertContract;
import static org.feedbackhub.reliability.HostileCases.enc;
import static org.feedbackhub.reliability.HostileCases.forEachCase;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input at {@code GET /v1/enrichment-status} and {@code POST
 * /v1/tenants/{tenant_id}/enrichments/retry}, with every kind configured (against a provider that
 * is never called). The status only reads; a retry refused with a 4xx writes nothing (no cooldown,
 * no marker cleared). Seeds as in {@link HostileInputIT}.
 */
@Tag("reliability")
class HostileEnrichmentIT {
  static final HubApp APP =
      HubApp.builder()
          .set("webhooks.dispatcherEnabled", "false")
          .set("enrichment.translation.provider", "openai")
          .set("enrichment.translation.model", "m")
          .set("enrichment.translation.baseUrl", "http://127.0.0.1:9")
          .set("enrichment.sentiment.provider", "openai")
          .set("enrichment.sentiment.model", "m")
          .set("enrichment.sentiment.baseUrl", "http://127.0.0.1:9")
          .set("enrichment.emotions.provider", "openai")
          .set("enrichment.emotions.model", "m")
          .set("enrichment.emotions.baseUrl", "http://127.0.0.1:9")
          .set("enrichment.translationDefaultLanguage", "en")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();
  static final String TENANT = TenantIds.fresh("hostile-enrichment");

  static Api api;

  @BeforeAll
  static void seed() {
    HostileCases.announce(HostileEnrichmentIT.class);
    api = new Api(APP.baseUrl(), true);
    for (int i = 0; i < 3; i++) {
      Reply created =
          api.post(
              "/v1/feedback-records",
              HostileInputIT.validCreate(
                  "s-" + i,
                  java.util.Map.of(
                      "tenant_id", TENANT, "value_text", "text " + i, "language", "de")));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
    }
    Db.execute(
        "INSERT INTO feedback_record_enrichment_failures"
            + " (feedback_record_id, tenant_id, enrichment, terminal, reason, text_hash)"
            + " SELECT id, tenant_id, 'sentiment', true, 'refusal', md5(value_text)"
            + " FROM feedback_records WHERE tenant_id = ?",
        TENANT);
  }

  @Test
  void statusQueries() {
    forEachCase(
        HostileEnrichmentIT.class,
        "statusQueries",
        80,
        c -> {
          String before = TenantRows.snapshot(TENANT);
          Reply reply = api.get("/v1/enrichment-status?" + c.draw("query", statusQueryGen()));
          assertContract(reply, Set.of(200, 400, 414));
          if (reply.status() == 200) {
            JsonNode status = reply.json();
            for (String kind : List.of("translation", "sentiment", "emotions")) {
              assertThat(status.path(kind).path("eligible").asLong()).isNotNegative();
              assertThat(status.path(kind).path("enabled").asBoolean()).isTrue();
            }
          }
          assertThat(TenantRows.snapshot(TENANT)).isEqualTo(before);
        });
  }

  @Test
  void retryBodies() {
    forEachCase(
        HostileEnrichmentIT.class,
        "retryBodies",
        120,
        c -> {
          String tenant = c.draw("fresh", Gen.booleans()) ? TenantIds.fresh() : TENANT;
          String before = TenantRows.snapshot(tenant);
          Reply reply =
              api.post(
                  "/v1/tenants/" + enc(tenant) + "/enrichments/retry", c.draw("body", bodies()));
          assertContract(reply, Set.of(202, 400, 413));
          if (reply.status() == 202) {
            for (JsonNode result : reply.json().path("results")) {
              assertThat(result.path("outcome").asText()).isIn("cleared", "cooling_down");
            }
          } else {
            assertThat(TenantRows.snapshot(tenant))
                .as("rows after a %d", reply.status())
                .isEqualTo(before);
          }
        });
  }

  @Test
  void retryPaths() {
    forEachCase(
        HostileEnrichmentIT.class,
        "retryPaths",
        60,
        c -> {
          String segment = c.draw("tenant", HostileInputIT.segments());
          Reply reply = api.post("/v1/tenants/" + segment + "/enrichments/retry", "{}");
          assertContract(reply, Set.of(202, 400, 404, 414));
        });
  }

  @Test
  void retryHeaders() {
    forEachCase(
        HostileEnrichmentIT.class,
        "retryHeaders",
        40,
        c -> {
          String tenant = TenantIds.fresh();
          Reply reply =
              api.send(
                  "POST",
                  "/v1/tenants/" + tenant + "/enrichments/retry",
                  "{\"enrichments\":[\"sentiment\"]}",
                  "Authorization",
                  c.draw("authorization", Gen.of("Bearer " + HubApp.API_KEY, "Bearer nope", "")),
                  "Content-Type",
                  c.draw("contentType", HostileInputIT.headerValues()),
                  "Accept",
                  c.draw("accept", HostileInputIT.headerValues()));
          assertContract(reply, Set.of(202, 400, 401, 406, 415));
          if (reply.status() != 202) {
            assertThat(
                    Db.queryLong(
                        "SELECT count(*) FROM enrichment_retry_cooldowns WHERE tenant_id = ?",
                        tenant))
                .isZero();
          }
        });
  }

  // --- generators -----------------------------------------------------------------------------

  static Gen<String> statusQueryGen() {
    Gen<String> tenant =
        Gen.oneOf(
            Gen.just(TENANT),
            Gen.of(Hostile.VALID_NASTY),
            Gen.of(Hostile.INVALID),
            Gen.strings(0, 20).filter(Hostile::encodable));
    Gen<String> other =
        Gen.oneOf(
            Gen.just(""),
            Gen.of("&tenant_id=", "&tenant_id=other", "&enrichment=sentiment", "&x=%00", "&&&"));
    return r -> (r.nextInt(10) == 0 ? "" : "tenant_id=" + enc(tenant.next(r))) + other.next(r);
  }

  static Gen<String> bodies() {
    Gen<String> name =
        Gen.oneOf(
            Gen.of(
                "\"translation\"",
                "\"sentiment\"",
                "\"emotions\"",
                "\" emotions \"",
                "\"Sentiment\"",
                "\"all\"",
                "\"\"",
                "\"sentiment\\u0000\""),
            Hostile.jsonValues());
    Gen<String> list = r -> "[" + String.join(",", name.list(0, 5).next(r)) + "]";
    Gen<String> value = Gen.oneOf(list, list, Hostile.jsonValues());
    Gen<UnaryOperator<String>> damage = Hostile.textDamage();
    return r -> {
      String body =
          switch (r.nextInt(5)) {
            case 0 -> "{}";
            case 1 -> "{\"enrichments\":" + value.next(r) + "}";
            case 2 ->
                "{\"enrichments\":"
                    + list.next(r)
                    + ","
                    + Hostile.quote(Gen.of("tenant_id", "other", "Enrichments").next(r))
                    + ":"
                    + Hostile.jsonValues().next(r)
                    + "}";
            case 3 -> Hostile.jsonValues().next(r);
            default ->
                "{\"enrichments\":[" + "\"sentiment\",".repeat(r.nextInt(500)) + "\"emotions\"]}";
          };
      return damage.next(r).apply(body) + (r.nextInt(20) == 0 ? " " + UUID.randomUUID() : "");
    };
  }
}
