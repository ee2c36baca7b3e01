package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.feedbackhub.reliability.HostileCases.assertContract;
import static org.feedbackhub.reliability.HostileCases.enc;
import static org.feedbackhub.reliability.HostileCases.forEachCase;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.feedbackhub.testing.FakeOpenAiEmbeddings;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input at {@code POST /v1/feedback-records/search/semantic} and {@code GET
 * /v1/feedback-records/{id}/similar}, with embeddings served by a {@link FakeOpenAiEmbeddings} and
 * the embedding worker off (vectors are stored by the test, so nothing writes in the background).
 * Both routes only read: after every request, whatever its status, the tenant's rows are unchanged.
 * A valid hostile query reaches the provider verbatim. Seeds as in {@link HostileInputIT}.
 */
@Tag("reliability")
class HostileSemanticSearchIT {
  static final String MODEL = "hostile-search-model";
  static final FakeOpenAiEmbeddings PROVIDER = new FakeOpenAiEmbeddings();
  static final HubApp APP =
      HubApp.builder()
          .set("embeddings.provider", "openai")
          .set("embeddings.model", MODEL)
          .set("embeddings.apiKey", "sk-test")
          .set("embeddings.baseUrl", PROVIDER.baseUrl())
          .set("embeddings.workerEnabled", "false")
          .set("webhooks.dispatcherEnabled", "false")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();
  static final String TENANT = TenantIds.fresh("hostile-search");
  static final Set<Integer> SEARCH = Set.of(200, 400, 413);

  static Api api;
  static final List<String> recordIds = new ArrayList<>();

  @BeforeAll
  static void seed() {
    HostileCases.announce(HostileSemanticSearchIT.class);
    api = new Api(APP.baseUrl(), true);
    for (String text : List.of("slow checkout", "fast checkout", "pricing is high", "a bug")) {
      recordIds.add(EmbeddedRecords.insert(TENANT, "hostile", null, "q", text, MODEL));
    }
    Reply sanity =
        api.post(
            "/v1/feedback-records/search/semantic?min_score=0",
            "{\"query\":\"checkout\",\"tenant_id\":" + Hostile.quote(TENANT) + "}");
    assertThat(sanity.status()).as(sanity.body()).isEqualTo(200);
    assertThat(sanity.json().path("data")).isNotEmpty();
  }

  @AfterAll
  static void stopProvider() {
    PROVIDER.close();
  }

  @Test
  void searchBodies() {
    forEachCase(
        HostileSemanticSearchIT.class,
        "searchBodies",
        60,
        c -> search(c.draw("body", searchBodyGen()), c.draw("query", pageQueries())));
  }

  @Test
  void searchPageParameters() {
    forEachCase(
        HostileSemanticSearchIT.class,
        "searchPageParameters",
        60,
        c ->
            search(
                "{\"query\":\"checkout\",\"tenant_id\":" + Hostile.quote(TENANT) + "}",
                c.draw("query", pageQueries())));
  }

  private void search(String body, String query) {
    String before = TenantRows.snapshot(TENANT);
    Reply reply = api.post("/v1/feedback-records/search/semantic?" + query, body);
    assertContract(reply, SEARCH);
    if (reply.status() == 200) {
      assertPage(reply.json());
    }
    assertThat(TenantRows.snapshot(TENANT)).as("rows after a %d", reply.status()).isEqualTo(before);
  }

  @Test
  void headers() {
    forEachCase(
        HostileSemanticSearchIT.class,
        "headers",
        40,
        c -> {
          String before = TenantRows.snapshot(TENANT);
          Reply reply =
              api.send(
                  "POST",
                  "/v1/feedback-records/search/semantic",
                  "{\"query\":\"checkout\",\"tenant_id\":" + Hostile.quote(TENANT) + "}",
                  "Authorization",
                  "Bearer " + HubApp.API_KEY,
                  "Content-Type",
                  c.draw("contentType", HostileInputIT.headerValues()),
                  "Accept",
                  c.draw("accept", HostileInputIT.headerValues()),
                  "X-Request-ID",
                  c.draw("requestId", HostileInputIT.headerValues()));
          assertContract(reply, Set.of(200, 400, 406, 415));
          assertThat(TenantRows.snapshot(TENANT)).isEqualTo(before);
        });
  }

  @Test
  void oversizedBodiesAre413() {
    for (int size : new int[] {1024 * 1024 + 1, 3 * 1024 * 1024}) {
      String before = TenantRows.snapshot(TENANT);
      String body =
          "{\"query\":\"checkout\",\"tenant_id\":"
              + Hostile.quote(TENANT)
              + ",\"pad\":\""
              + "p".repeat(size)
              + "\"}";
      Reply reply = api.post("/v1/feedback-records/search/semantic", body);
      assertContract(reply, Set.of(413));
      assertThat(TenantRows.snapshot(TENANT)).isEqualTo(before);
    }
  }

  @Test
  void similarPathsAndQueries() {
    forEachCase(
        HostileSemanticSearchIT.class,
        "similarPathsAndQueries",
        70,
        c -> similar(c.draw("id", similarIds()), c.draw("query", pageQueries())));
  }

  private void similar(String id, String query) {
    String before = TenantRows.snapshot(TENANT);
    Reply reply = api.get("/v1/feedback-records/" + id + "/similar?" + query);
    assertContract(reply, Set.of(200, 400, 404, 414));
    if (reply.status() == 200) {
      assertPage(reply.json());
      for (JsonNode hit : reply.json().path("data")) {
        assertThat(recordIds).contains(hit.path("feedback_record_id").asText());
        assertThat(hit.path("feedback_record_id").asText()).isNotEqualTo(id);
      }
    }
    assertThat(TenantRows.snapshot(TENANT)).as("rows after a %d", reply.status()).isEqualTo(before);
  }

  @Test
  void validHostileQueriesReachTheProviderVerbatim() {
    forEachCase(
        HostileSemanticSearchIT.class,
        "validHostileQueriesReachTheProviderVerbatim",
        40,
        c -> {
          String query = c.draw("query", Hostile.validStrings(500));
          String tenant = c.draw("tenant", Hostile.validStrings(200));
          Reply reply =
              api.post(
                  "/v1/feedback-records/search/semantic",
                  "{\"query\":"
                      + Hostile.quote(query)
                      + ",\"tenant_id\":"
                      + Hostile.quote(tenant)
                      + "}");
          assertThat(reply.status()).as(reply.body()).isEqualTo(200);
          List<FakeOpenAiEmbeddings.Call> calls = PROVIDER.calls();
          assertThat(calls.get(calls.size() - 1).inputs()).contains(query);
          if (!tenant.strip().equals(TENANT)) {
            assertThat(reply.json().path("data")).isEmpty();
          }
        });
  }

  // --- generators -----------------------------------------------------------------------------

  static Gen<String> searchBodyGen() {
    Gen<Map<String, String>> mutated =
        Gen.maps(
            Gen.of("query", "tenant_id", "limit", "min_score", "cursor", "unknown"),
            Gen.oneOf(Hostile.jsonValues(), Gen.just("<absent>")),
            1,
            3);
    Gen<UnaryOperator<String>> damage = Hostile.textDamage();
    return r -> {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("query", "\"checkout\"");
      fields.put("tenant_id", Hostile.quote(TENANT));
      mutated
          .next(r)
          .forEach(
              (k, v) -> {
                if (v.equals("<absent>")) {
                  fields.remove(k);
                } else {
                  fields.put(k, v);
                }
              });
      String json =
          fields.entrySet().stream()
              .map(e -> Hostile.quote(e.getKey()) + ":" + e.getValue())
              .collect(Collectors.joining(",", "{", "}"));
      return damage.next(r).apply(json);
    };
  }

  /** {@code limit}, {@code min_score} and {@code cursor}, each absent, odd or damaged. */
  static Gen<String> pageQueries() {
    Gen<String> number =
        Gen.oneOf(
            Gen.of(
                "",
                "0",
                "-1",
                "1",
                "100",
                "101",
                "1e3",
                "0.5",
                "-0.5",
                "1.5",
                "NaN",
                "Infinity",
                "-Infinity",
                "abc",
                "99999999999999999999",
                "0x10",
                " 5 ",
                "5;DROP",
                "\u0000"),
            Gen.of(Hostile.VALID_NASTY));
    Gen<String> query =
        r -> {
          List<String> parts = new ArrayList<>();
          if (r.nextBoolean()) {
            parts.add("limit=" + enc(number.next(r)));
          }
          if (r.nextBoolean()) {
            parts.add("min_score=" + enc(number.next(r)));
          }
          if (r.nextBoolean()) {
            parts.add("cursor=" + enc(cursors().next(r)));
          }
          if (r.nextInt(4) == 0) {
            parts.add(enc(Gen.strings(0, 8).next(r)) + "=" + enc(Gen.strings(0, 8).next(r)));
          }
          return String.join("&", parts);
        };
    return query;
  }

  /** Similarity cursors: base64url JSON of every wrong shape, and plain garbage. */
  static Gen<String> cursors() {
    Gen<String> json =
        Gen.oneOf(
            Gen.of(
                "{\"d\":0.1,\"i\":\"00000000-0000-0000-0000-000000000000\"}",
                "{\"d\":-1,\"i\":\"00000000-0000-0000-0000-000000000000\"}",
                "{\"d\":3,\"i\":\"00000000-0000-0000-0000-000000000000\"}",
                "{\"d\":\"NaN\",\"i\":\"00000000-0000-0000-0000-000000000000\"}",
                "{\"d\":1e400,\"i\":\"00000000-0000-0000-0000-000000000000\"}",
                "{\"d\":0.1,\"i\":\"not-a-uuid\"}",
                "{\"d\":0.1}",
                "{\"i\":\"00000000-0000-0000-0000-000000000000\"}",
                "{\"d\":null,\"i\":null}",
                "{\"d\":[],\"i\":{}}",
                "{\"t\":\"2024-01-01T00:00:00Z\",\"i\":\"00000000-0000-0000-0000-000000000000\"}",
                "{}",
                "[]",
                "null",
                "\"x\"",
                "{\"d\":0.1,\"i\":\"00000000-0000-0000-0000-000000000000\",\"d\":5}",
                "{\"d\":" + "[".repeat(5000) + "}"),
            Hostile.jsonValues());
    return Gen.oneOf(
        json.map(s -> Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))),
        json.map(
            s ->
                Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(s.getBytes(StandardCharsets.UTF_8))),
        json.map(s -> Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))),
        Gen.of("", "!!!", "====", "e30", "eyJkIjo", "%", "x".repeat(5000)),
        Gen.bytes(60).map(b -> Base64.getUrlEncoder().encodeToString(b)),
        Gen.strings(0, 30).filter(Hostile::encodable));
  }

  /** Record ids in the path: real ones, absent ones, malformed and hostile segments. */
  static Gen<String> similarIds() {
    return Gen.oneOf(
        r -> recordIds.get(r.nextInt(recordIds.size())),
        Gen.of(
            "00000000-0000-0000-0000-000000000000",
            "01a22452-6d65-7dfa-b1f6-3d2f12de839a",
            "01A22452-6D65-7DFA-B1F6-3D2F12DE839A",
            "%7B01a22452-6d65-7dfa-b1f6-3d2f12de839a%7D",
            "01a224526d657dfab1f63d2f12de839a",
            "0",
            "-1",
            "%20",
            "..",
            "%2e%2e",
            "x".repeat(300),
            "%F0%9F%98%80",
            "a;b=c"),
        Gen.of(Hostile.VALID_NASTY).map(HostileCases::enc),
        Gen.of(Hostile.INVALID).filter(s -> !s.isEmpty()).map(HostileCases::enc),
        Gen.strings(1, 30).filter(Hostile::encodable).map(HostileCases::enc));
  }

  // --- helpers --------------------------------------------------------------------------------

  /** A page obeys its contract: at most {@code limit} hits, each of the tenant, scores in 0..1. */
  private static void assertPage(JsonNode page) {
    int limit = page.path("limit").asInt();
    assertThat(limit).isBetween(1, 100);
    assertThat(page.path("data").size()).isLessThanOrEqualTo(limit);
    for (JsonNode hit : page.path("data")) {
      assertThat(recordIds).contains(hit.path("feedback_record_id").asText());
      assertThat(hit.path("score").asDouble()).isBetween(0.0, 1.0 + 1e-6);
    }
  }
}
