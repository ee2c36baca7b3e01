package org.feedbackhub.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;

/**
 * Records created through the API, with their enrichment state set in SQL as a finished job would
 * leave it: results, failure markers and empty answers (keyed by the hash of the current text).
 */
final class EnrichmentFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HubApp app;

  EnrichmentFixtures(HubApp app) {
    this.app = app;
  }

  /** A record of {@code fieldType}; {@code text} and {@code language} may be null. */
  String record(String tenant, String fieldType, String text, String language) {
    ObjectNode body = JSON.createObjectNode();
    body.put("source_type", "survey");
    body.put("field_id", "q1");
    body.put("field_type", fieldType);
    body.put("submission_id", UUID.randomUUID().toString());
    body.put("tenant_id", tenant);
    if (text != null) {
      body.put("value_text", text);
    }
    if (fieldType.equals("number")) {
      body.put("value_number", 4);
    }
    if (language != null) {
      body.put("language", language);
    }
    Response response = app.post("/v1/feedback-records", body.toString());
    assertThat(response.getStatus()).as(response.readEntity(String.class)).isEqualTo(201);
    return response.readEntity(JsonNode.class).get("id").asText();
  }

  String text(String tenant, String text, String language) {
    return record(tenant, "text", text, language);
  }

  void sentiment(String id, String label, double score) {
    Db.execute(
        "UPDATE feedback_records SET sentiment = ?, sentiment_score = ? WHERE id = CAST(? AS uuid)",
        label,
        score,
        id);
  }

  void emotions(String id, String... emotions) {
    Db.execute(
        "UPDATE feedback_records SET emotions = string_to_array(?, ',') WHERE id = CAST(? AS uuid)",
        String.join(",", emotions),
        id);
  }

  void translation(String id, String text, String languageKey) {
    Db.execute(
        "UPDATE feedback_records SET value_text_translated = ?, translation_lang_key = ?"
            + " WHERE id = CAST(? AS uuid)",
        text,
        languageKey,
        id);
  }

  /** A failure marker for the record's current text. */
  void failure(String id, String kind, boolean terminal, String reason) {
    Db.execute(
        "INSERT INTO feedback_record_enrichment_failures"
            + " (feedback_record_id, tenant_id, enrichment, terminal, reason, attempts, text_hash)"
            + " SELECT id, tenant_id, ?, ?, ?, 3, md5(value_text) FROM feedback_records"
            + " WHERE id = CAST(? AS uuid)",
        kind,
        terminal,
        reason,
        id);
  }

  /** A failure marker for a text the record no longer has. */
  void staleFailure(String id, String kind, boolean terminal, String reason) {
    failure(id, kind, terminal, reason);
    Db.execute(
        "UPDATE feedback_record_enrichment_failures SET text_hash = md5('older text')"
            + " WHERE feedback_record_id = CAST(? AS uuid) AND enrichment = ?",
        id,
        kind);
  }

  /** An empty emotions answer for the record's current text ({@code stale}: for another text). */
  void noEmotions(String id, boolean stale) {
    Db.execute(
        "INSERT INTO feedback_record_enrichment_empty_results"
            + " (feedback_record_id, tenant_id, enrichment, text_hash)"
            + " SELECT id, tenant_id, 'emotions', CASE WHEN ? THEN md5('older') ELSE md5(value_text)"
            + " END FROM feedback_records WHERE id = CAST(? AS uuid)",
        stale,
        id);
  }
}
