package org.feedbackhub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Small helpers shared by the webhook tests: JSON bodies, SQL counts, tenant lock holders. */
public final class WebhookFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WebhookFixtures() {}

  public static JsonNode json(Response response) {
    try (response) {
      return JSON.readTree(response.readEntity(String.class));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The status of a response whose body is not needed; closes it. */
  public static int status(Response response) {
    try (response) {
      return response.getStatus();
    }
  }

  /** Creates a webhook and returns the create response (with its signing key). */
  public static JsonNode createWebhook(HubApp app, String tenant, String url, String eventTypes) {
    String body =
        "{\"url\":\""
            + url
            + "\",\"tenant_id\":\""
            + tenant
            + "\""
            + (eventTypes == null ? "" : ",\"event_types\":" + eventTypes)
            + "}";
    Response response = app.post("/v1/webhooks", body);
    if (response.getStatus() != 201) {
      throw new IllegalStateException(
          "create webhook: " + response.getStatus() + " " + response.readEntity(String.class));
    }
    return json(response);
  }

  /** Creates a feedback record and returns its id. */
  public static String createRecord(HubApp app, String tenant) {
    String body =
        "{\"source_type\":\"survey\",\"field_id\":\"q1\",\"field_type\":\"text\","
            + "\"submission_id\":\""
            + UUID.randomUUID()
            + "\",\"tenant_id\":\""
            + tenant
            + "\",\"value_text\":\"hello\"}";
    Response response = app.post("/v1/feedback-records", body);
    if (response.getStatus() != 201) {
      throw new IllegalStateException("create record: " + response.getStatus());
    }
    return json(response).path("id").asText();
  }

  /** A single {@code count(*)}-style number from {@code sql} with string parameters. */
  public static long count(String sql, String... params) {
    try (Connection c = TestDatabase.get().rawConnection("webhook-tests");
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setString(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
