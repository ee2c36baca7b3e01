package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.ArrayList;
import java.util.List;
import org.feedbackhub.core.WebhookUrlGuardTest;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SSRF table through the API, with the default settings: a webhook aimed at any address of a
 * special-purpose range (embedded IPv4 forms and ambiguous IPv4 literals included) is refused at
 * create and at update with {@code 400 validation} on {@code url}, and nothing is stored.
 */
@Tag("reliability")
class HostileWebhookTargetIT {
  static final HubApp APP = HubApp.builder().set("webhooks.dispatcherEnabled", "false").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @Test
  void everyRefusedRangeIsRefusedAtCreateAndUpdate() {
    String tenant = TenantIds.fresh("ssrf");
    Api api = new Api(APP.baseUrl());
    Reply allowed =
        api.post(
            "/v1/webhooks",
            "{\"url\":\"http://8.8.8.8/hook\",\"tenant_id\":" + Hostile.quote(tenant) + "}");
    assertThat(allowed.status()).as(allowed.body()).isEqualTo(201);
    String id = allowed.json().path("id").asText();
    String before = TenantRows.snapshot(tenant);
    List<String> failures = new ArrayList<>();
    for (String host : WebhookUrlGuardTest.REFUSED_BY_DEFAULT) {
      String url = Hostile.quote("http://" + host + "/hook");
      Reply create =
          api.post(
              "/v1/webhooks", "{\"url\":" + url + ",\"tenant_id\":" + Hostile.quote(tenant) + "}");
      Reply update = api.send("PATCH", "/v1/webhooks/" + id, "{\"url\":" + url + "}");
      for (Reply reply : List.of(create, update)) {
        if (reply.status() != 400
            || !reply.json().path("code").asText().equals("validation")
            || !reply.json().path("invalid_params").path(0).path("name").asText().equals("url")) {
          failures.add(host + " -> " + reply.status() + " " + reply.body());
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(TenantRows.snapshot(tenant)).isEqualTo(before);
  }
}
