package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.RawHttp;
import org.feedbackhub.testing.Reply;

/**
 * Records made through the API (with enrichment columns set in SQL, since the API never writes
 * them) and list/count requests sent with exactly the query string given, for the query tests.
 */
final class RecordQueries {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HubApp app;

  /** Built before the application starts; its port is read on each request. */
  RecordQueries(HubApp app) {
    this.app = app;
  }

  /**
   * Creates a record of {@code tenant} whose {@code submission_id} is {@code name} (text, field q1,
   * source survey unless {@code fields} say otherwise); returns its id.
   */
  String create(String tenant, String name, Map<String, Object> fields) {
    ObjectNode body = JSON.createObjectNode();
    body.put("tenant_id", tenant);
    body.put("submission_id", name);
    body.put("source_type", "survey");
    body.put("field_id", "q1");
    body.put("field_type", "text");
    fields.forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
    Reply reply = Reply.of(app.post("/v1/feedback-records", body.toString()));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().get("id").asText();
  }

  /**
   * Sets enrichment columns of record {@code id} as a worker would, e.g. {@code sentiment = 'x'}.
   */
  static void enrich(String id, String assignments) {
    Db.execute("UPDATE feedback_records SET " + assignments + " WHERE id = ?::uuid", id);
  }

  /** {@code GET path} with the API key, the query string sent byte for byte. */
  Reply get(String path) {
    return new RawHttp(app.baseUrl()).get(path, "Authorization", "Bearer " + HubApp.API_KEY);
  }

  /** The submission ids of one list page of {@code tenant} with {@code query} ("" for none). */
  List<String> names(String tenant, String query) {
    Reply reply = get("/v1/feedback-records?tenant_id=" + enc(tenant) + query);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    reply.json().get("data").forEach(r -> names.add(r.get("submission_id").asText()));
    return names;
  }

  long count(String tenant, String query) {
    Reply reply = get("/v1/feedback-records/count?tenant_id=" + enc(tenant) + query);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().get("count").asLong();
  }

  /** Every page of the list with {@code query} at {@code limit}, in order: the submission ids. */
  List<String> allPages(String tenant, String query, int limit) {
    List<String> names = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 1000; page++) {
      Reply reply =
          get(
              "/v1/feedback-records?limit="
                  + limit
                  + "&tenant_id="
                  + enc(tenant)
                  + query
                  + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      JsonNode json = reply.json();
      json.get("data").forEach(r -> names.add(r.get("submission_id").asText()));
      if (!json.has("next_cursor")) {
        return names;
      }
      cursor = json.get("next_cursor").asText();
    }
    throw new AssertionError("more than 1000 pages");
  }

  /** The one {@code invalid_params} entry of a 400 {@code validation} answer: name and reason. */
  static JsonNode onlyInvalidParam(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    JsonNode problem = reply.json();
    assertThat(problem.get("code").asText()).isEqualTo("validation");
    assertThat(problem.get("invalid_params")).as(reply.body()).hasSize(1);
    return problem.get("invalid_params").get(0);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
