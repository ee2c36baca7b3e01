package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebhooksIT {
  static final ObjectMapper JSON = new ObjectMapper();

  static final HubApp APP =
      HubApp.builder()
          .set("webhooks.allowPrivateTargets", "true")
          .set("webhooks.blacklist", "blocked.invalid,169.254.169.254")
          .set("webhooks.dispatcherEnabled", "false")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static JsonNode json(Response response) {
    try {
      return JSON.readTree(response.readEntity(String.class));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The status of a response whose body is not needed; closes it so the client pool never runs dry.
   */
  static int status(Response response) {
    try (response) {
      return response.getStatus();
    }
  }

  static String createBody(String tenant, String path) {
    return "{\"url\":\"http://127.0.0.1:9/" + path + "\",\"tenant_id\":\"" + tenant + "\"}";
  }

  @Test
  void createRequiresTenantId() {
    Response response = APP.post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/a\"}");
    assertThat(response.getStatus()).isEqualTo(400);
    JsonNode problem = json(response);
    assertThat(problem.path("title").asText()).isEqualTo("Validation Error");
    assertThat(problem.path("code").asText()).isEqualTo("validation");
    assertThat(problem.path("invalid_params").get(0).path("name").asText()).isEqualTo("tenant_id");
    assertThat(problem.path("invalid_params").get(0).path("reason").asText()).contains("required");
  }

  @Test
  void crudNeverShowsTheSigningKeyAfterCreate() {
    String tenant = TenantIds.fresh();
    Response created =
        APP.post(
            "/v1/webhooks",
            "{\"url\":\"http://127.0.0.1:9/crud\",\"tenant_id\":\"  "
                + tenant
                + " \",\"event_types\":[\"webhook.created\",\"feedback_record.created\"]}");
    assertThat(created.getStatus()).isEqualTo(201);
    JsonNode body = json(created);
    String id = body.path("id").asText();
    assertThat(body.path("signing_key").asText()).startsWith("whsec_");
    assertThat(java.util.Base64.getDecoder().decode(body.path("signing_key").asText().substring(6)))
        .hasSize(32);
    assertThat(body.path("tenant_id").asText()).isEqualTo(tenant);
    assertThat(body.path("enabled").asBoolean()).isTrue();
    assertThat(body.path("event_types").toString())
        .isEqualTo("[\"webhook.created\",\"feedback_record.created\"]");
    assertThat(body.path("created_at").asText()).endsWith("Z");
    assertThat(body.has("disabled_reason")).isFalse();

    JsonNode fetched = json(APP.get("/v1/webhooks/" + id));
    assertThat(fetched.has("signing_key")).isFalse();
    assertThat(fetched.path("url").asText()).isEqualTo("http://127.0.0.1:9/crud");

    JsonNode listed = json(APP.get("/v1/webhooks?tenant_id=" + tenant));
    assertThat(listed.path("data")).hasSize(1);
    assertThat(listed.path("data").get(0).has("signing_key")).isFalse();
    assertThat(listed.path("limit").asInt()).isEqualTo(100);
    assertThat(listed.has("next_cursor")).isFalse();

    Response patched =
        APP.patch(
            "/v1/webhooks/" + id,
            "{\"url\":\"http://127.0.0.1:9/crud2\",\"enabled\":false,\"event_types\":[]}");
    assertThat(patched.getStatus()).isEqualTo(200);
    JsonNode updated = json(patched);
    assertThat(updated.has("signing_key")).isFalse();
    assertThat(updated.path("url").asText()).isEqualTo("http://127.0.0.1:9/crud2");
    assertThat(updated.path("enabled").asBoolean()).isFalse();
    assertThat(updated.has("event_types")).isFalse();

    assertThat(status(APP.delete("/v1/webhooks/" + id))).isEqualTo(204);
    assertThat(status(APP.get("/v1/webhooks/" + id))).isEqualTo(404);
    assertThat(status(APP.delete("/v1/webhooks/" + id))).isEqualTo(404);
    assertThat(status(APP.patch("/v1/webhooks/" + id, "{\"enabled\":true}"))).isEqualTo(404);
  }

  @Test
  void suppliedSigningKeyMustBeAStandardWebhooksKey() {
    String tenant = TenantIds.fresh();
    String key = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    Response ok =
        APP.post(
            "/v1/webhooks",
            "{\"url\":\"http://127.0.0.1:9/k\",\"tenant_id\":\""
                + tenant
                + "\",\"signing_key\":\""
                + key
                + "\"}");
    assertThat(ok.getStatus()).isEqualTo(201);
    assertThat(json(ok).path("signing_key").asText()).isEqualTo(key);

    Response bad =
        APP.post(
            "/v1/webhooks",
            "{\"url\":\"http://127.0.0.1:9/k\",\"tenant_id\":\""
                + tenant
                + "\",\"signing_key\":\"whsec_not base64!\"}");
    assertThat(bad.getStatus()).isEqualTo(400);
    assertThat(json(bad).path("invalid_params").get(0).path("name").asText())
        .isEqualTo("signing_key");
  }

  @Test
  void rejectsBadUrlsEventTypesAndUnknownFields() {
    String tenant = TenantIds.fresh();
    for (String url : List.of("ftp://127.0.0.1/x", "not a url", "http://", "/relative")) {
      Response response =
          APP.post("/v1/webhooks", "{\"url\":\"" + url + "\",\"tenant_id\":\"" + tenant + "\"}");
      assertThat(response.getStatus()).as(url).isEqualTo(400);
      JsonNode param = json(response).path("invalid_params").get(0);
      assertThat(param.path("name").asText()).isEqualTo("url");
      assertThat(param.path("reason").asText()).isEqualTo("must be a valid HTTP or HTTPS URL");
    }
    String longUrl = "http://127.0.0.1:9/" + "a".repeat(2048);
    JsonNode tooLong =
        json(
            APP.post(
                "/v1/webhooks", "{\"url\":\"" + longUrl + "\",\"tenant_id\":\"" + tenant + "\"}"));
    assertThat(tooLong.path("invalid_params").get(0).path("reason").asText())
        .isEqualTo("must be at most 2048");

    JsonNode badType =
        json(
            APP.post(
                "/v1/webhooks",
                "{\"url\":\"http://127.0.0.1:9/t\",\"tenant_id\":\""
                    + tenant
                    + "\",\"event_types\":[\"webhook.created\",\"bogus\"]}"));
    assertThat(badType.path("invalid_params").get(0).path("name").asText())
        .isEqualTo("event_types[1]");
    assertThat(badType.path("invalid_params").get(0).path("reason").asText())
        .startsWith("must be one of: feedback_record.created");

    Response unknown =
        APP.post(
            "/v1/webhooks",
            "{\"url\":\"http://127.0.0.1:9/t\",\"tenant_id\":\"" + tenant + "\",\"x\":1}");
    assertThat(status(unknown)).isEqualTo(400);

    assertThat(status(APP.get("/v1/webhooks/not-a-uuid"))).isEqualTo(400);
  }

  @Test
  void refusesBlacklistedAndMetadataTargets() {
    String tenant = TenantIds.fresh();
    for (String url :
        List.of("http://blocked.invalid/hook", "http://169.254.169.254/latest/meta-data")) {
      Response response =
          APP.post("/v1/webhooks", "{\"url\":\"" + url + "\",\"tenant_id\":\"" + tenant + "\"}");
      assertThat(response.getStatus()).as(url).isEqualTo(400);
      JsonNode param = json(response).path("invalid_params").get(0);
      assertThat(param.path("name").asText()).isEqualTo("url");
    }
    String id = json(APP.post("/v1/webhooks", createBody(tenant, "ok"))).path("id").asText();
    Response patch = APP.patch("/v1/webhooks/" + id, "{\"url\":\"http://169.254.169.254/latest\"}");
    assertThat(patch.getStatus()).isEqualTo(400);
    assertThat(json(patch).path("invalid_params").get(0).path("name").asText()).isEqualTo("url");
  }

  @Test
  void listPagesWithKeysetCursorAndFilters() {
    String tenant = TenantIds.fresh();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(json(APP.post("/v1/webhooks", createBody(tenant, "p" + i))).path("id").asText());
    }
    assertThat(status(APP.patch("/v1/webhooks/" + ids.get(0), "{\"enabled\":false}")))
        .isEqualTo(200);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          json(
              APP.get(
                  "/v1/webhooks?limit=2&tenant_id="
                      + tenant
                      + (cursor == null ? "" : "&cursor=" + cursor)));
      page.path("data").forEach(w -> seen.add(w.path("id").asText()));
      cursor = page.has("next_cursor") ? page.path("next_cursor").asText() : null;
    } while (cursor != null);
    List<String> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    assertThat(seen).containsExactlyElementsOf(newestFirst);

    JsonNode disabled = json(APP.get("/v1/webhooks?enabled=false&tenant_id=" + tenant));
    assertThat(disabled.path("data")).hasSize(1);
    assertThat(disabled.path("data").get(0).path("id").asText()).isEqualTo(ids.get(0));

    assertThat(status(APP.get("/v1/webhooks?limit=0"))).isEqualTo(400);
    assertThat(status(APP.get("/v1/webhooks?limit=1001"))).isEqualTo(400);
    assertThat(status(APP.get("/v1/webhooks?cursor=garbage"))).isEqualTo(400);
    assertThat(status(APP.get("/v1/webhooks?enabled=maybe"))).isEqualTo(400);
  }

  @Test
  void reEnablingClearsTheDisabledReason() throws Exception {
    String tenant = TenantIds.fresh();
    String id = json(APP.post("/v1/webhooks", createBody(tenant, "re"))).path("id").asText();
    try (var c = TestDatabase.get().rawConnection("webhooks-it");
        var s =
            c.prepareStatement(
                "UPDATE webhooks SET enabled = false, disabled_reason = 'x', disabled_at = now()"
                    + " WHERE id = ?::uuid")) {
      s.setString(1, id);
      s.executeUpdate();
    }
    JsonNode before = json(APP.get("/v1/webhooks/" + id));
    assertThat(before.path("disabled_reason").asText()).isEqualTo("x");
    JsonNode after = json(APP.patch("/v1/webhooks/" + id, "{\"enabled\":true}"));
    assertThat(after.path("enabled").asBoolean()).isTrue();
    assertThat(after.has("disabled_reason")).isFalse();
    assertThat(after.has("disabled_at")).isFalse();
  }

  @Test
  void globalLimitAnswersForbidden() throws Exception {
    long count;
    try (var c = TestDatabase.get().rawConnection("webhooks-it");
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM webhooks")) {
      rs.next();
      count = rs.getLong(1);
    }
    HubApp limited =
        HubApp.builder()
            .set("webhooks.allowPrivateTargets", "true")
            .set("webhooks.blacklist", "")
            .set("webhooks.dispatcherEnabled", "false")
            .set("webhooks.maxCount", Long.toString(count + 1))
            .build();
    limited.extension().before();
    try {
      String tenant = TenantIds.fresh();
      assertThat(status(limited.post("/v1/webhooks", createBody(tenant, "l1")))).isEqualTo(201);
      Response refused = limited.post("/v1/webhooks", createBody(tenant, "l2"));
      assertThat(refused.getStatus()).isEqualTo(403);
      JsonNode problem = json(refused);
      assertThat(problem.path("code").asText()).isEqualTo("forbidden");
      assertThat(problem.path("detail").asText())
          .isEqualTo("webhook limit reached (max " + (count + 1) + ")");
    } finally {
      limited.extension().after();
    }
  }

  @Test
  void aPurgeRemovesTheTenantsWebhooksAndUndeliveredEvents() {
    String tenant = TenantIds.fresh();
    String other = TenantIds.fresh();
    json(APP.post("/v1/webhooks", createBody(tenant, "purged")));
    json(APP.post("/v1/webhooks", createBody(other, "kept")));
    // This app's dispatcher is off, so both webhook.created events are still undelivered.
    String outbox = "SELECT count(*) FROM outbox_messages WHERE tenant_id = ?";
    assertThat(org.feedbackhub.testing.WebhookFixtures.count(outbox, tenant)).isEqualTo(1);

    JsonNode purged = json(APP.delete("/v1/tenants/" + tenant + "/data"));
    assertThat(purged.path("deleted_webhooks").asLong()).isEqualTo(1);
    assertThat(org.feedbackhub.testing.WebhookFixtures.count(outbox, tenant)).isZero();
    assertThat(org.feedbackhub.testing.WebhookFixtures.count(outbox, other)).isEqualTo(1);
    assertThat(json(APP.get("/v1/webhooks?tenant_id=" + tenant)).path("data")).isEmpty();
  }
}
