package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TenantSettingsIT {
  static final HubApp APP = HubApp.builder().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private static JsonNode settings(Response response) {
    assertThat(response.getStatus()).isEqualTo(200);
    return response.readEntity(JsonNode.class).get("settings");
  }

  private static Response mergePatch(String tenant, String json) {
    Response response =
        APP.request("/v1/tenants/" + tenant + "/settings")
            .method("PATCH", Entity.entity(json, TenantsResource.MERGE_PATCH_JSON));
    response.bufferEntity();
    return response;
  }

  @Test
  void unconfiguredTenantHasEmptySettings() {
    String tenant = TenantIds.fresh();
    JsonNode body = APP.get("/v1/tenants/" + tenant + "/settings").readEntity(JsonNode.class);
    assertThat(body.get("tenant_id").asText()).isEqualTo(tenant);
    assertThat(body.get("settings").isObject()).isTrue();
    assertThat(body.get("settings")).isEmpty();
  }

  @Test
  void putReplacesAndNormalisesTheLanguageTag() {
    String tenant = TenantIds.fresh();
    JsonNode put =
        settings(
            APP.put(
                "/v1/tenants/" + tenant + "/settings",
                "{\"target_language\":\"en-us\",\"sentiment_enabled\":true}"));
    assertThat(put.get("target_language").asText()).isEqualTo("en-US");
    assertThat(put.get("sentiment_enabled").asBoolean()).isTrue();

    JsonNode replaced =
        settings(
            APP.put(
                "/v1/tenants/" + tenant + "/settings",
                "{\"target_language\":\"\",\"emotions_enabled\":false}"));
    assertThat(replaced.has("target_language")).isFalse();
    assertThat(replaced.has("sentiment_enabled")).isFalse();
    assertThat(replaced.get("emotions_enabled").asBoolean()).isFalse();
    assertThat(settings(APP.get("/v1/tenants/" + tenant + "/settings"))).isEqualTo(replaced);
  }

  @Test
  void patchMergesRemovesWithNullAndKeepsOmittedKeys() {
    String tenant = TenantIds.fresh();
    APP.put(
        "/v1/tenants/" + tenant + "/settings",
        "{\"target_language\":\"de\",\"sentiment_enabled\":true}");
    JsonNode merged =
        settings(mergePatch(tenant, "{\"emotions_enabled\":true,\"target_language\":null}"));
    assertThat(merged.has("target_language")).isFalse();
    assertThat(merged.get("sentiment_enabled").asBoolean()).isTrue();
    assertThat(merged.get("emotions_enabled").asBoolean()).isTrue();

    JsonNode plainJson =
        settings(
            APP.patch("/v1/tenants/" + tenant + "/settings", "{\"target_language\":\"fr-ca\"}"));
    assertThat(plainJson.get("target_language").asText()).isEqualTo("fr-CA");
    assertThat(plainJson.get("sentiment_enabled").asBoolean()).isTrue();
  }

  @Test
  void badBodiesAreRejectedAndChangeNothing() {
    String tenant = TenantIds.fresh();
    APP.put("/v1/tenants/" + tenant + "/settings", "{\"sentiment_enabled\":true}");
    assertInvalid(
        mergePatch(tenant, "{\"target_language\":\"\"}"), "target_language", "must be at least 1");
    assertInvalid(
        APP.put("/v1/tenants/" + tenant + "/settings", "{\"tenant_id\":\"x\"}"),
        "tenant_id",
        "is not a recognized request field");
    assertInvalid(
        mergePatch(tenant, "{\"sentiment_enabled\":\"yes\"}"),
        "sentiment_enabled",
        "must be a valid boolean");
    assertInvalid(
        APP.put("/v1/tenants/" + tenant + "/settings", "{\"target_language\":\"not a tag!\"}"),
        "target_language",
        "must be a valid BCP-47 language tag");
    Response tooLarge =
        APP.put(
            "/v1/tenants/" + tenant + "/settings",
            "{\"target_language\":\"" + "a".repeat(9 * 1024) + "\"}");
    assertThat(tooLarge.getStatus()).isEqualTo(413);
    assertThat(tooLarge.readEntity(JsonNode.class).get("code").asText())
        .isEqualTo("content_too_large");
    Response array = APP.put("/v1/tenants/" + tenant + "/settings", "[]");
    assertThat(array.getStatus()).isEqualTo(400);

    JsonNode unchanged = settings(APP.get("/v1/tenants/" + tenant + "/settings"));
    assertThat(unchanged.get("sentiment_enabled").asBoolean()).isTrue();
    assertThat(unchanged).hasSize(1);
  }

  @Test
  void emptyPatchIsANoOpThatCreatesNothing() {
    String tenant = TenantIds.fresh();
    assertThat(settings(mergePatch(tenant, "{}"))).isEmpty();
    assertThat(
            org.feedbackhub.testing.Db.queryLong(
                "SELECT count(*) FROM tenant_settings WHERE tenant_id = ?", tenant))
        .isZero();
  }

  @Test
  void settingsAreIsolatedPerTenant() {
    String a = TenantIds.fresh();
    String b = TenantIds.fresh();
    APP.put("/v1/tenants/" + a + "/settings", "{\"sentiment_enabled\":true}");
    assertThat(settings(APP.get("/v1/tenants/" + b + "/settings"))).isEmpty();
  }

  private static void assertInvalid(Response response, String name, String reasonStart) {
    assertThat(response.getStatus()).isEqualTo(400);
    JsonNode body = response.readEntity(JsonNode.class);
    assertThat(body.get("code").asText()).isEqualTo("validation");
    JsonNode param = body.get("invalid_params").get(0);
    assertThat(param.get("name").asText()).isEqualTo(name);
    assertThat(param.get("reason").asText()).startsWith(reasonStart);
  }
}
