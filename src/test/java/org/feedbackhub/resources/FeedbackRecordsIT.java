package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FeedbackRecordsIT {
  static final HubApp APP = HubApp.builder().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static String body(String tenant, String submission) {
    return """
        {"source_type":"survey","field_id":"q1","field_type":"text","submission_id":"%s",
         "tenant_id":"%s","value_text":"hello","metadata":{"a":1},"user_id":"u1"}
        """
        .formatted(submission, tenant);
  }

  @Test
  void createGetListUpdateDeleteAndPurge() {
    String tenant = TenantIds.fresh();
    Response created = APP.post("/v1/feedback-records", body(tenant, "s1"));
    assertThat(created.getStatus()).isEqualTo(201);
    JsonNode record = created.readEntity(JsonNode.class);
    String id = record.get("id").asText();
    assertThat(record.has("source_id")).isFalse();
    assertThat(record.get("tenant_id").asText()).isEqualTo(tenant);

    Response duplicate = APP.post("/v1/feedback-records", body(tenant, "s1"));
    assertThat(duplicate.getStatus()).isEqualTo(409);
    assertThat(duplicate.getHeaderString("x-should-retry")).isEqualTo("false");
    assertThat(duplicate.readEntity(JsonNode.class).get("code").asText()).isEqualTo("conflict");

    assertThat(APP.get("/v1/feedback-records/" + id).getStatus()).isEqualTo(200);
    JsonNode list = APP.get("/v1/feedback-records?tenant_id=" + tenant).readEntity(JsonNode.class);
    assertThat(list.get("data")).hasSize(1);
    assertThat(list.get("limit").asInt()).isEqualTo(100);
    assertThat(list.has("next_cursor")).isFalse();

    Response updated = APP.patch("/v1/feedback-records/" + id, "{\"value_text\":\"bye\"}");
    assertThat(updated.getStatus()).isEqualTo(200);
    assertThat(updated.readEntity(JsonNode.class).get("value_text").asText()).isEqualTo("bye");

    JsonNode count =
        APP.get("/v1/feedback-records/count?tenant_id=" + tenant).readEntity(JsonNode.class);
    assertThat(count.get("count").asLong()).isEqualTo(1);

    APP.post("/v1/feedback-records", body(tenant, "s2"));
    Response purge = APP.delete("/v1/tenants/" + tenant + "/data");
    assertThat(purge.getStatus()).isEqualTo(200);
    assertThat(purge.readEntity(JsonNode.class).get("deleted_feedback_records").asLong())
        .isEqualTo(2);
    assertThat(APP.get("/v1/feedback-records/" + id).getStatus()).isEqualTo(404);
  }
}
