package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every field rule of create and update: a 4xx problem that names the field, and nothing stored.
 */
class FeedbackRecordValidationIT {
  static final HubApp APP = HubApp.builder().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private static String record(String tenant, String extraField) {
    return """
        {"source_type":"survey","field_id":"q1","field_type":"text","submission_id":"s1",
         "tenant_id":"%s"%s}
        """
        .formatted(tenant, extraField.isEmpty() ? "" : "," + extraField);
  }

  private static JsonNode problem(Response response, int status) {
    assertThat(response.getStatus()).isEqualTo(status);
    assertThat(response.getMediaType().toString()).startsWith("application/problem+json");
    assertThat(response.getHeaderString("Cache-Control")).isEqualTo("no-store");
    return response.readEntity(JsonNode.class);
  }

  private static void assertInvalid(Response response, String name, String reasonStart) {
    JsonNode body = problem(response, 400);
    assertThat(body.get("code").asText()).isEqualTo("validation");
    assertThat(body.get("title").asText()).isEqualTo("Validation Error");
    assertThat(body.get("type").asText())
        .isEqualTo("https://hub.formbricks.com/problems/validation");
    JsonNode param = body.get("invalid_params").get(0);
    assertThat(param.get("name").asText()).isEqualTo(name);
    assertThat(param.get("reason").asText()).startsWith(reasonStart);
  }

  private static long storedFor(String tenant) {
    return Db.queryLong("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant);
  }

  @Test
  void missingRequiredFieldsAreAllListed() {
    Response response = APP.post("/v1/feedback-records", "{\"tenant_id\":\"t\"}");
    JsonNode body = problem(response, 400);
    assertThat(body.get("invalid_params").findValuesAsText("name"))
        .containsExactlyInAnyOrder("source_type", "field_id", "field_type", "submission_id");
    assertThat(body.get("invalid_params").findValuesAsText("reason")).containsOnly("is required");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"field_type\":\"essay\"|field_type|must be one of: text, categorical, nps",
        "\"value_text\":\"a\\u0000b\"|value_text|must not contain NULL bytes",
        "\"collected_at\":\"yesterday\"|collected_at|must be in RFC3339 (ISO 8601) format",
        "\"collected_at\":\"1969-12-31T23:59:59Z\"|collected_at|must be between 1970-01-01",
        "\"value_date\":\"2081-01-01T00:00:00Z\"|value_date|must be between 1970-01-01",
        "\"value_number\":1e16|value_number|must be at most 1e15",
        "\"value_number\":-1e16|value_number|must be at least -1e15",
        "\"value_number\":\"12\"|value_number|must be a valid number",
        "\"value_boolean\":\"yes\"|value_boolean|must be a valid boolean",
        "\"language\":\"abcdefghijk\"|language|must be at most 10",
        "\"metadata\":{\"k\":\"v\\u0000\"}|metadata|must not contain NULL bytes",
        "\"metadata\":[1,2]|metadata|must be object",
        "\"tenant\":\"x\"|tenant|is not a recognized request field",
        "\"source_id\":5|source_id|must be string",
      })
  void badFieldIsRejectedAndNothingStored(String field, String name, String reason) {
    String tenant = TenantIds.fresh();
    if (field.startsWith("\"field_type\"")) {
      String body =
          """
          {"source_type":"survey","field_id":"q1","field_type":"essay","submission_id":"s1",
           "tenant_id":"%s"}
          """
              .formatted(tenant);
      assertInvalid(APP.post("/v1/feedback-records", body), name, reason);
    } else {
      assertInvalid(APP.post("/v1/feedback-records", record(tenant, field)), name, reason);
    }
    assertThat(storedFor(tenant)).isZero();
  }

  @Test
  void identifierLongerThan255IsRejected() {
    String tenant = TenantIds.fresh();
    String longId = "x".repeat(256);
    String body =
        """
        {"source_type":"survey","field_id":"%s","field_type":"text","submission_id":"s1",
         "tenant_id":"%s"}
        """
            .formatted(longId, tenant);
    assertInvalid(APP.post("/v1/feedback-records", body), "field_id", "must be at most 255");
  }

  @Test
  void tenantIdIsTrimmedAndBlankRejected() {
    assertInvalid(
        APP.post("/v1/feedback-records", record("   ", "")), "tenant_id", "must be at least 1");
    String tenant = TenantIds.fresh();
    Response created = APP.post("/v1/feedback-records", record("  " + tenant + "  ", ""));
    assertThat(created.getStatus()).isEqualTo(201);
    assertThat(created.readEntity(JsonNode.class).get("tenant_id").asText()).isEqualTo(tenant);
  }

  @Test
  void malformedAndEmptyBodiesAreBadRequests() {
    JsonNode malformed = problem(APP.post("/v1/feedback-records", "{\"source_type\":"), 400);
    assertThat(malformed.get("code").asText()).isEqualTo("bad_request");
    assertThat(malformed.get("detail").asText()).startsWith("Invalid JSON: ");

    JsonNode empty = problem(APP.post("/v1/feedback-records", ""), 400);
    assertThat(empty.get("code").asText()).isEqualTo("bad_request");
    assertThat(empty.get("detail").asText()).isEqualTo("Invalid request body");

    JsonNode duplicateKey =
        problem(APP.post("/v1/feedback-records", "{\"field_id\":\"a\",\"field_id\":\"b\"}"), 400);
    assertThat(duplicateKey.get("code").asText()).isEqualTo("bad_request");
  }

  @Test
  void bodyOverTheCapIs413AndNothingStored() {
    String tenant = TenantIds.fresh();
    String huge = "\"value_text\":\"" + "a".repeat(600 * 1024) + "\"";
    JsonNode body = problem(APP.post("/v1/feedback-records", record(tenant, huge)), 413);
    assertThat(body.get("code").asText()).isEqualTo("content_too_large");
    assertThat(body.get("detail").asText()).isEqualTo("request body too large");
    assertThat(storedFor(tenant)).isZero();
  }

  @Test
  void valueTextLongerThan30000IsRejected() {
    String tenant = TenantIds.fresh();
    String text = "\"value_text\":\"" + "a".repeat(30001) + "\"";
    assertInvalid(
        APP.post("/v1/feedback-records", record(tenant, text)),
        "value_text",
        "must be at most 30000");
  }

  @Test
  void updateRulesNameTheField() {
    String tenant = TenantIds.fresh();
    String id =
        APP.post("/v1/feedback-records", record(tenant, ""))
            .readEntity(JsonNode.class)
            .get("id")
            .asText();
    assertInvalid(
        APP.patch("/v1/feedback-records/" + id, "{\"tenant_id\":\"other\"}"),
        "tenant_id",
        "is not a recognized request field");
    assertInvalid(
        APP.patch("/v1/feedback-records/" + id, "{\"field_id\":\"other\"}"),
        "field_id",
        "is not a recognized request field");
    assertInvalid(
        APP.patch("/v1/feedback-records/" + id, "{\"language\":\"abcdefghijk\"}"),
        "language",
        "must be at most 10");
    assertInvalid(APP.patch("/v1/feedback-records/not-a-uuid", "{}"), "id", "must be a valid UUID");
    JsonNode missing =
        problem(
            APP.patch(
                "/v1/feedback-records/00000000-0000-7000-8000-000000000000",
                "{\"value_text\":\"x\"}"),
            404);
    assertThat(missing.get("code").asText()).isEqualTo("not_found");
    assertThat(missing.get("details").get("resource_type").asText()).isEqualTo("feedback record");
  }

  @Test
  void listQueryRules() {
    assertInvalid(APP.get("/v1/feedback-records"), "tenant_id", "is required");
    String tenant = TenantIds.fresh();
    assertInvalid(
        APP.get("/v1/feedback-records?tenant_id=" + tenant + "&limit=0"),
        "limit",
        "must be at least 1");
    assertInvalid(
        APP.get("/v1/feedback-records?tenant_id=" + tenant + "&limit=1001"),
        "limit",
        "must be at most 1000");
    assertInvalid(
        APP.get("/v1/feedback-records?tenant_id=" + tenant + "&limit=ten"),
        "limit",
        "must be a valid integer");
    assertInvalid(
        APP.get("/v1/feedback-records?tenant_id=" + tenant + "&cursor=garbage"),
        "cursor",
        "omit it for the first page");
    assertInvalid(
        APP.get("/v1/feedback-records?tenant_id=" + tenant + "&field_type=essay"),
        "field_type",
        "must be one of");
    assertInvalid(
        APP.get("/v1/feedback-records?tenant_id=" + tenant + "&since=yesterday"),
        "since",
        "must be in RFC3339");
    assertInvalid(
        APP.get("/v1/feedback-records/count?tenant_id=%00"), "tenant_id", "must not contain NULL");
  }
}
