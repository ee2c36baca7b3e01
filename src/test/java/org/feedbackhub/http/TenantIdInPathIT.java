package org.feedbackhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.UUID;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.RawHttp;
import org.feedbackhub.testing.Reply;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every valid tenant id is addressable in {@code /v1/tenants/{id}/...} in its percent-encoded form,
 * and a raw {@code ;} (a path parameter, which routing would strip) is refused on every route with
 * a path id instead of addressing another tenant.
 */
class TenantIdInPathIT {
  static final HubApp APP = HubApp.builder().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private static final String AUTH = "Bearer " + HubApp.API_KEY;

  private static RawHttp http() {
    return new RawHttp(APP.baseUrl());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "\\", "%", ";", "?", "#", " ", "..", "/../"})
  void aTenantIdWithTheCharacterIsConfiguredAndPurgedThroughItsEncodedPath(String special) {
    String base = "t" + UUID.randomUUID().toString().substring(0, 8);
    String tenant = base + special + "x";
    createRecord(tenant);
    createRecord(base);
    String path = "/v1/tenants/" + percentEncodeAll(tenant);

    Reply put =
        Reply.of(
            APP.request(path + "/settings")
                .put(jakarta.ws.rs.client.Entity.json("{\"target_language\":\"de\"}")));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json().path("tenant_id").asText()).isEqualTo(tenant);
    Reply get = http().get(path + "/settings", "Authorization", AUTH);
    assertThat(get.json().path("settings").path("target_language").asText()).isEqualTo("de");

    Reply purge = http().send("DELETE", path + "/data", "Authorization", AUTH);
    assertThat(purge.status()).as(purge.body()).isEqualTo(200);
    assertThat(records(tenant)).isZero();
    assertThat(records(base)).as("the tenant whose id is a prefix").isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DELETE /v1/tenants/{t};eu/data",
        "GET /v1/tenants/{t};eu/settings",
        "PUT /v1/tenants/{t};eu/settings",
        "PATCH /v1/tenants/{t};eu/settings",
        "GET /v1/feedback-records/{r};x",
        "PATCH /v1/feedback-records/{r};x",
        "DELETE /v1/feedback-records/{r};x",
        "GET /v1/feedback-records/{r};x/similar",
        "GET /v1/webhooks/{r};x",
        "DELETE /v1/webhooks/{r};x",
        "GET /v1/taxonomy/runs/{r};x",
        "DELETE /v1/taxonomy/nodes/{r};x",
      })
  void aRawSemicolonInAPathIdIsRefusedAndAddressesNothing(String route) {
    String tenant = "mx" + UUID.randomUUID().toString().substring(0, 8);
    String recordId = createRecord(tenant);
    String[] parts = route.split(" ");
    String path = parts[1].replace("{t}", tenant).replace("{r}", recordId);
    Reply reply = http().send(parts[0], path, "Authorization", AUTH);
    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.json().path("code").asText()).isEqualTo("bad_request");
    assertThat(reply.contentType()).isEqualTo("application/problem+json");
    assertThat(records(tenant)).isEqualTo(1);
  }

  private static String createRecord(String tenant) {
    Reply created =
        Reply.of(
            APP.request("/v1/feedback-records")
                .post(
                    jakarta.ws.rs.client.Entity.json(
                        "{\"tenant_id\":"
                            + quote(tenant)
                            + ",\"submission_id\":\"s\",\"source_type\":\"survey\","
                            + "\"field_id\":\"q\",\"field_type\":\"text\",\"value_text\":\"v\"}")));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  private static long records(String tenant) {
    return Db.queryLong("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Every byte not a letter or digit as %XX, the separators included. */
  private static String percentEncodeAll(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (Character.isLetterOrDigit(c) && c < 128) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
