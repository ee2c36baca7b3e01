package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.feedbackhub.testing.WebhookFixtures.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Semantic search and similar records end to end with the in-process model: meaning-based
 * neighbours, tenant isolation, cursor paging, the clamped parameters, validation and the backfill
 * task.
 */
class SemanticSearchIT {
  static final HubApp APP = app();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static HubApp app() {
    try {
      return HubApp.builder()
          .set("webhooks.dispatcherEnabled", "false")
          .set("embeddings.provider", "local")
          .set("embeddings.pollInterval", "50ms")
          .set(
              "embeddings.cacheDirectory",
              Files.createTempDirectory("djl-cache").toAbsolutePath().toString())
          .build();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String create(String tenant, String fieldType, String text) {
    String value =
        "number".equals(fieldType) ? "\"value_number\":4" : "\"value_text\":\"" + text + "\"";
    Response response =
        APP.post(
            "/v1/feedback-records",
            "{\"source_type\":\"survey\",\"field_id\":\"q1\",\"field_type\":\""
                + fieldType
                + "\",\"field_label\":\"Tell us more\",\"submission_id\":\""
                + UUID.randomUUID()
                + "\",\"tenant_id\":\""
                + tenant
                + "\","
                + value
                + "}");
    assertThat(response.getStatus()).isEqualTo(201);
    return json(response).path("id").asText();
  }

  static void awaitEmbeddings(String tenant, long count) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Db.queryLong(
                        "SELECT count(*) FROM embeddings e JOIN feedback_records f ON f.id ="
                            + " e.feedback_record_id WHERE f.tenant_id = ?",
                        tenant)
                    == count);
  }

  static JsonNode search(String tenant, String query, String params) {
    Response response =
        APP.post(
            "/v1/feedback-records/search/semantic" + params,
            "{\"query\":\"" + query + "\",\"tenant_id\":\"" + tenant + "\"}");
    assertThat(response.getStatus()).isEqualTo(200);
    return json(response);
  }

  static List<String> texts(JsonNode page) {
    List<String> texts = new ArrayList<>();
    page.path("data").forEach(hit -> texts.add(hit.path("value_text").asText()));
    return texts;
  }

  @Test
  void findsRecordsByMeaningAndOnlyInTheCallersTenant() {
    String tenant = TenantIds.fresh();
    String other = TenantIds.fresh();
    create(tenant, "text", "payment takes forever");
    create(tenant, "text", "love the new colors");
    create(tenant, "text", "the app crashed when I uploaded a photo");
    create(other, "text", "the checkout page is slow");
    awaitEmbeddings(tenant, 3);
    awaitEmbeddings(other, 1);

    JsonNode page = search(tenant, "the checkout page is slow", "?min_score=0");
    List<String> ranked = texts(page);
    assertThat(ranked).hasSize(3).doesNotContain("the checkout page is slow");
    assertThat(ranked.indexOf("payment takes forever"))
        .isLessThan(ranked.indexOf("love the new colors"));
    JsonNode best = page.path("data").get(0);
    assertThat(best.path("field_label").asText()).isEqualTo("Tell us more");
    assertThat(best.path("score").asDouble()).isBetween(0.0, 1.0);
    assertThat(page.path("limit").asInt()).isEqualTo(10);
    assertThat(page.has("next_cursor")).isFalse();

    // The default min_score (0.7) keeps only close matches; the other tenant's twin is never seen.
    for (JsonNode hit : search(tenant, "the checkout page is slow", "").path("data")) {
      assertThat(hit.path("score").asDouble()).isGreaterThanOrEqualTo(0.7);
    }
    assertThat(texts(search(other, "payment takes forever", "?min_score=0")))
        .containsExactly("the checkout page is slow");
  }

  @Test
  void pagesWithTheCursorWithoutGapsOrRepeats() {
    String tenant = TenantIds.fresh();
    String[] corpus = {
      "shipping was late",
      "delivery took two weeks",
      "the parcel arrived damaged",
      "great customer support",
      "refund was quick"
    };
    for (String text : corpus) {
      create(tenant, "text", text);
    }
    awaitEmbeddings(tenant, corpus.length);
    List<String> seen = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          search(
              tenant,
              "my order came late",
              "?min_score=0&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      page.path("data")
          .forEach(
              hit -> {
                seen.add(hit.path("feedback_record_id").asText());
                scores.add(hit.path("score").asDouble());
              });
      cursor = page.has("next_cursor") ? page.path("next_cursor").asText() : null;
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(corpus.length).doesNotHaveDuplicates();
    assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));
  }

  @Test
  void similarRanksTheRecordsTenantAndExcludesTheRecordItself() {
    String tenant = TenantIds.fresh();
    String slow = create(tenant, "text", "the checkout page is slow");
    create(tenant, "text", "payment takes forever");
    create(tenant, "text", "love the new colors");
    String number = create(tenant, "number", null);
    awaitEmbeddings(tenant, 3);

    Response response = APP.get("/v1/feedback-records/" + slow + "/similar?min_score=0&limit=5");
    assertThat(response.getStatus()).isEqualTo(200);
    JsonNode page = json(response);
    List<String> ids = new ArrayList<>();
    page.path("data").forEach(hit -> ids.add(hit.path("feedback_record_id").asText()));
    assertThat(ids).hasSize(2).doesNotContain(slow);
    assertThat(texts(page)).containsExactly("payment takes forever", "love the new colors");
    assertThat(page.path("limit").asInt()).isEqualTo(5);

    Response noEmbedding = APP.get("/v1/feedback-records/" + number + "/similar");
    assertThat(noEmbedding.getStatus()).isEqualTo(404);
    assertThat(json(noEmbedding).path("code").asText()).isEqualTo("not_found");
    assertThat(APP.get("/v1/feedback-records/" + UUID.randomUUID() + "/similar").getStatus())
        .isEqualTo(404);
    assertThat(APP.get("/v1/feedback-records/not-a-uuid/similar").getStatus()).isEqualTo(400);
  }

  @Test
  void rejectsEmptyQueriesAndBadCursorsAndClampsTheRest() {
    String tenant = TenantIds.fresh();
    for (String query : new String[] {"\"\"", "\"   \"", "null"}) {
      Response response =
          APP.post(
              "/v1/feedback-records/search/semantic",
              "{\"query\":" + query + ",\"tenant_id\":\"" + tenant + "\"}");
      assertThat(response.getStatus()).as(query).isEqualTo(400);
      JsonNode problem = json(response);
      assertThat(problem.path("code").asText()).isEqualTo("validation");
      assertThat(problem.path("invalid_params").get(0).path("name").asText()).isEqualTo("query");
    }
    Response noTenant = APP.post("/v1/feedback-records/search/semantic", "{\"query\":\"hello\"}");
    assertThat(noTenant.getStatus()).isEqualTo(400);
    Response badCursor =
        APP.post(
            "/v1/feedback-records/search/semantic?cursor=bm90LWpzb24",
            "{\"query\":\"hello\",\"tenant_id\":\"" + tenant + "\"}");
    assertThat(badCursor.getStatus()).isEqualTo(400);
    assertThat(json(badCursor).path("invalid_params").get(0).path("name").asText())
        .isEqualTo("cursor");
    Response unknownField =
        APP.post(
            "/v1/feedback-records/search/semantic",
            "{\"query\":\"hello\",\"tenant_id\":\"" + tenant + "\",\"k\":1}");
    assertThat(unknownField.getStatus()).isEqualTo(400);

    assertThat(search(tenant, "hello", "?limit=abc").path("limit").asInt()).isEqualTo(10);
    assertThat(search(tenant, "hello", "?limit=1000").path("limit").asInt()).isEqualTo(100);
    assertThat(search(tenant, "hello", "?limit=0&min_score=7").path("limit").asInt()).isEqualTo(1);
    assertThat(search(tenant, "hello", "").path("data")).isEmpty();
  }

  @Test
  void theBackfillTaskQueuesJobsForTextRecordsWithoutAVector() {
    String tenant = TenantIds.fresh();
    // Written behind the API's back, as rows from before embeddings were switched on.
    for (String text : new String[] {"imported one", "imported two"}) {
      Db.execute(
          "INSERT INTO feedback_records (source_type, field_id, field_type, submission_id,"
              + " tenant_id, value_text) VALUES ('import', 'q1', 'text', ?, ?, ?)",
          UUID.randomUUID().toString(),
          tenant,
          text);
    }
    Db.execute(
        "INSERT INTO feedback_records (source_type, field_id, field_type, submission_id,"
            + " tenant_id, value_number) VALUES ('import', 'q2', 'number', ?, ?, 1)",
        UUID.randomUUID().toString(),
        tenant);
    Response response =
        APP.client()
            .target(APP.adminUrl() + "/tasks/backfill-embeddings?tenant_id=" + tenant)
            .request()
            .header("X-Requested-By", "feedback-hub-test")
            .post(Entity.text(""));
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getHeaderString("Content-Type")).startsWith("application/json");
    assertThat(response.readEntity(String.class)).contains("\"enqueued\":2");
    Response refused =
        APP.client()
            .target(APP.adminUrl() + "/tasks/backfill-embeddings?tenant_id=%20")
            .request()
            .header("X-Requested-By", "feedback-hub-test")
            .post(Entity.text(""));
    assertThat(refused.getStatus()).isEqualTo(400);
    assertThat(refused.getHeaderString("Content-Type")).startsWith("application/problem+json");
    assertThat(refused.readEntity(String.class)).contains("\"code\":\"validation\"");
    awaitEmbeddings(tenant, 2);
    assertThat(
            APP.client()
                .target(APP.adminUrl() + "/tasks/backfill-embeddings?tenant_id=" + tenant)
                .request()
                .header("X-Requested-By", "feedback-hub-test")
                .post(Entity.text(""))
                .readEntity(String.class))
        .contains("\"enqueued\":0");
    Set<String> ids = new HashSet<>();
    search(tenant, "imported", "?min_score=0")
        .path("data")
        .forEach(hit -> ids.add(hit.path("value_text").asText()));
    assertThat(ids).containsExactlyInAnyOrder("imported one", "imported two");
  }
}
