package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The feedback records API end to end, with the events each write leaves in the outbox. */
class FeedbackRecordsIT {
  // These tests read the events a write leaves in the outbox; a running dispatcher would drain
  // them.
  static final HubApp APP = HubApp.builder().set("webhooks.dispatcherEnabled", "false").build();
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static String body(String tenant, String submission, String extra) {
    return """
        {"source_type":"survey","field_id":"q1","field_type":"text","submission_id":"%s",
         "tenant_id":"%s","value_text":"hello"%s}
        """
        .formatted(submission, tenant, extra.isEmpty() ? "" : "," + extra);
  }

  static JsonNode create(String tenant, String submission, String extra) {
    Response response = APP.post("/v1/feedback-records", body(tenant, submission, extra));
    assertThat(response.getStatus()).isEqualTo(201);
    return response.readEntity(JsonNode.class);
  }

  static List<JsonNode> events(String tenant, String type) {
    List<JsonNode> events = new ArrayList<>();
    for (String payload :
        Db.queryStrings(
            "SELECT payload::text FROM outbox_messages WHERE tenant_id = ? AND event_type = ?"
                + " ORDER BY id",
            tenant,
            type)) {
      try {
        events.add(JSON.readTree(payload));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return events;
  }

  @Test
  void createReturnsTheRecordWithOptionalFieldsOmittedAndWritesItsEvent() {
    String tenant = TenantIds.fresh();
    JsonNode record =
        create(
            tenant,
            "s1",
            "\"metadata\":{\"browser\":\"firefox\"},\"user_id\":\"u1\",\"value_number\":4.5,"
                + "\"collected_at\":\"2025-01-02T03:04:05.123456Z\"");
    assertThat(record.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-.*");
    assertThat(record.get("collected_at").asText()).isEqualTo("2025-01-02T03:04:05.123456Z");
    assertThat(record.get("metadata").get("browser").asText()).isEqualTo("firefox");
    assertThat(record.has("source_id")).isFalse();
    assertThat(record.has("sentiment")).isFalse();
    assertThat(record.has("tenant_id_was_null")).isFalse();

    List<JsonNode> created = events(tenant, "feedback_record.created");
    assertThat(created).hasSize(1);
    JsonNode data = created.get(0).get("data");
    assertThat(data.get("id").asText()).isEqualTo(record.get("id").asText());
    assertThat(data.has("source_id")).isFalse();
    assertThat(data.has("tenant_id_was_null")).isFalse();
  }

  @Test
  void duplicateTripleIsATerminalConflict() {
    String tenant = TenantIds.fresh();
    create(tenant, "s1", "");
    Response duplicate = APP.post("/v1/feedback-records", body(tenant, "s1", ""));
    assertThat(duplicate.getStatus()).isEqualTo(409);
    assertThat(duplicate.getHeaderString("x-should-retry")).isEqualTo("false");
    JsonNode problem = duplicate.readEntity(JsonNode.class);
    assertThat(problem.get("code").asText()).isEqualTo("conflict");
    assertThat(problem.get("detail").asText())
        .isEqualTo(
            "a feedback record with this tenant_id, submission_id, and field_id already exists");
    assertThat(events(tenant, "feedback_record.created")).hasSize(1);
    // The same submission and field in another tenant is a different record.
    create(TenantIds.fresh(), "s1", "");
  }

  @Test
  void listPagesInKeysetOrderWithFilters() {
    String tenant = TenantIds.fresh();
    for (int i = 0; i < 5; i++) {
      create(
          tenant,
          "s" + i,
          "\"collected_at\":\"2025-01-0%dT00:00:00Z\",\"user_id\":\"%s\""
              .formatted(i + 1, i % 2 == 0 ? "even" : "odd"));
    }
    create(TenantIds.fresh(), "other", "");

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String path = "/v1/feedback-records?limit=2&tenant_id=" + tenant;
      JsonNode page =
          APP.get(cursor == null ? path : path + "&cursor=" + cursor).readEntity(JsonNode.class);
      assertThat(page.get("limit").asInt()).isEqualTo(2);
      page.get("data").forEach(r -> seen.add(r.get("submission_id").asText()));
      cursor = page.has("next_cursor") ? page.get("next_cursor").asText() : null;
      pages++;
    } while (cursor != null);
    assertThat(seen).containsExactly("s4", "s3", "s2", "s1", "s0");
    assertThat(pages).isEqualTo(3);

    JsonNode even =
        APP.get("/v1/feedback-records?tenant_id=" + tenant + "&user_id=even")
            .readEntity(JsonNode.class);
    assertThat(even.get("data")).hasSize(3);
    JsonNode window =
        APP.get(
                "/v1/feedback-records?tenant_id="
                    + tenant
                    + "&since=2025-01-02T00:00:00Z&until=2025-01-04T00:00:00Z")
            .readEntity(JsonNode.class);
    assertThat(window.get("data").findValuesAsText("submission_id"))
        .containsExactly("s3", "s2", "s1");
    JsonNode count =
        APP.get("/v1/feedback-records/count?tenant_id=" + tenant + "&field_type=text&user_id=odd")
            .readEntity(JsonNode.class);
    assertThat(count.get("count").asLong()).isEqualTo(2);
  }

  @Test
  void updateChangesOnlyGivenFieldsAndEmptyPatchIsANoOp() {
    String tenant = TenantIds.fresh();
    JsonNode record = create(tenant, "s1", "\"language\":\"en\"");
    String id = record.get("id").asText();
    Db.execute(
        "UPDATE feedback_records SET sentiment = 'positive', sentiment_score = 0.5,"
            + " value_text_translated = 'hallo', translation_lang_key = 'de' WHERE id = ?::uuid",
        id);

    Response noop = APP.patch("/v1/feedback-records/" + id, "{}");
    assertThat(noop.getStatus()).isEqualTo(200);
    assertThat(noop.readEntity(JsonNode.class).get("value_text").asText()).isEqualTo("hello");
    assertThat(events(tenant, "feedback_record.updated")).isEmpty();

    JsonNode sameText =
        APP.patch("/v1/feedback-records/" + id, "{\"value_text\":\"hello\",\"value_number\":3}")
            .readEntity(JsonNode.class);
    assertThat(sameText.get("sentiment").asText()).isEqualTo("positive");
    assertThat(sameText.get("value_number").asDouble()).isEqualTo(3.0);

    JsonNode newText =
        APP.patch("/v1/feedback-records/" + id, "{\"value_text\":\"bye\"}")
            .readEntity(JsonNode.class);
    assertThat(newText.get("value_text").asText()).isEqualTo("bye");
    assertThat(newText.has("sentiment")).isFalse();
    assertThat(newText.has("value_text_translated")).isFalse();
    assertThat(newText.get("language").asText()).isEqualTo("en");

    List<JsonNode> updated = events(tenant, "feedback_record.updated");
    assertThat(updated).hasSize(2);
    assertThat(updated.get(1).get("changed_fields")).hasSize(1);
    assertThat(updated.get(1).get("changed_fields").get(0).asText()).isEqualTo("value_text");
    assertThat(updated.get(1).get("data").get("value_text").asText()).isEqualTo("bye");
  }

  @Test
  void deleteIs204ThenNotFoundAndWritesAnEventWithTheId() {
    String tenant = TenantIds.fresh();
    String id = create(tenant, "s1", "").get("id").asText();
    Response deleted = APP.delete("/v1/feedback-records/" + id);
    assertThat(deleted.getStatus()).isEqualTo(204);
    assertThat(deleted.readEntity(String.class)).isEmpty();
    assertThat(APP.delete("/v1/feedback-records/" + id).getStatus()).isEqualTo(404);
    assertThat(APP.get("/v1/feedback-records/" + id).getStatus()).isEqualTo(404);
    List<JsonNode> events = events(tenant, "feedback_record.deleted");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("data").get(0).asText()).isEqualTo(id);
  }

  @Test
  void deleteByUserIsScopedOrGlobalAndIdempotent() {
    String a = TenantIds.fresh("a");
    String b = TenantIds.fresh("b");
    String user = "user-" + TenantIds.fresh();
    create(a, "s1", "\"user_id\":\"" + user + "\"");
    create(a, "s2", "\"user_id\":\"" + user + "\"");
    create(b, "s1", "\"user_id\":\"" + user + "\"");
    create(b, "s2", "\"user_id\":\"someone-else\"");

    JsonNode scoped =
        APP.delete("/v1/feedback-records?user_id=" + user + "&tenant_id=" + b)
            .readEntity(JsonNode.class);
    assertThat(scoped.get("deleted_count").asLong()).isEqualTo(1);
    assertThat(scoped.get("message").asText()).isEqualTo("Successfully deleted 1 feedback records");

    create(b, "s3", "\"user_id\":\"" + user + "\"");
    JsonNode global = APP.delete("/v1/feedback-records?user_id=" + user).readEntity(JsonNode.class);
    assertThat(global.get("deleted_count").asLong()).isEqualTo(3);
    assertThat(global.get("message").asText()).isEqualTo("Successfully deleted 3 feedback records");

    JsonNode again = APP.delete("/v1/feedback-records?user_id=" + user).readEntity(JsonNode.class);
    assertThat(again.get("deleted_count").asLong()).isZero();

    assertThat(events(a, "feedback_record.deleted")).hasSize(1);
    assertThat(events(a, "feedback_record.deleted").get(0).get("data")).hasSize(2);
    assertThat(events(b, "feedback_record.deleted")).hasSize(2);
    assertThat(Db.queryLong("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", b))
        .isEqualTo(1);

    Response missingUser = APP.delete("/v1/feedback-records");
    assertThat(missingUser.getStatus()).isEqualTo(400);
    assertThat(
            missingUser
                .readEntity(JsonNode.class)
                .get("invalid_params")
                .get(0)
                .get("name")
                .asText())
        .isEqualTo("user_id");
  }

  @Test
  void purgeDeletesEveryTenantOwnedRowWithExactCountsAndIsIdempotent() {
    String tenant = TenantIds.fresh();
    String other = TenantIds.fresh();
    String id = create(tenant, "s1", "").get("id").asText();
    create(tenant, "s2", "");
    String survivor = create(other, "s1", "").get("id").asText();
    Db.execute(
        "INSERT INTO embeddings (feedback_record_id, embedding, model) VALUES (?::uuid, '{1,0}', 'm')",
        id);
    APP.put("/v1/tenants/" + tenant + "/settings", "{\"sentiment_enabled\":true}");

    JsonNode purge = APP.delete("/v1/tenants/" + tenant + "/data").readEntity(JsonNode.class);
    assertThat(purge.get("tenant_id").asText()).isEqualTo(tenant);
    assertThat(purge.get("deleted_feedback_records").asLong()).isEqualTo(2);
    assertThat(purge.get("deleted_embeddings").asLong()).isEqualTo(1);
    assertThat(purge.get("deleted_webhooks").asLong()).isZero();
    for (String table :
        List.of("runs", "clusters", "cluster_memberships", "nodes", "active_runs", "node_events")) {
      assertThat(purge.get("deleted_taxonomy_" + table).asLong()).isZero();
    }
    assertThat(purge.get("message").asText())
        .isEqualTo("Successfully deleted tenant data for " + tenant);
    assertThat(Db.queryLong("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", tenant))
        .isZero();
    assertThat(Db.queryLong("SELECT count(*) FROM tenant_settings WHERE tenant_id = ?", tenant))
        .isZero();
    assertThat(
            Db.queryLong(
                "SELECT count(*) FROM tenant_purges WHERE tenant_id = ? AND outcome = 'ok'",
                tenant))
        .isEqualTo(1);
    assertThat(APP.get("/v1/feedback-records/" + survivor).getStatus()).isEqualTo(200);

    JsonNode repeat = APP.delete("/v1/tenants/" + tenant + "/data").readEntity(JsonNode.class);
    assertThat(repeat.get("deleted_feedback_records").asLong()).isZero();
    assertThat(repeat.get("deleted_embeddings").asLong()).isZero();

    Response blank = APP.delete("/v1/tenants/%20%20/data");
    assertThat(blank.getStatus()).isEqualTo(400);
    assertThat(blank.readEntity(JsonNode.class).get("invalid_params").get(0).get("name").asText())
        .isEqualTo("tenant_id");
  }

  @Test
  void unusualTenantIdsWork() {
    for (String tenant :
        List.of(
            "Ümlaut-" + TenantIds.fresh(),
            "a|b:" + TenantIds.fresh(),
            "with space " + TenantIds.fresh())) {
      String json =
          """
          {"source_type":"survey","field_id":"q1","field_type":"text","submission_id":"s1",
           "tenant_id":%s}
          """
              .formatted(JSON.valueToTree(tenant).toString());
      assertThat(APP.post("/v1/feedback-records", json).getStatus()).isEqualTo(201);
      String encoded =
          java.net.URLEncoder.encode(tenant, java.nio.charset.StandardCharsets.UTF_8)
              .replace("+", "%20");
      JsonNode count =
          APP.get("/v1/feedback-records/count?tenant_id=" + encoded).readEntity(JsonNode.class);
      assertThat(count.get("count").asLong()).isEqualTo(1);
      JsonNode purge = APP.delete("/v1/tenants/" + encoded + "/data").readEntity(JsonNode.class);
      assertThat(purge.get("deleted_feedback_records").asLong()).isEqualTo(1);
    }
  }
}
