package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The credential table: every route family × every method it answers × path variants a router and a
 * path check could read differently (path parameters on each segment, percent-encoded letters and
 * separators, dot segments, doubled slashes, case), sent without the API key, with a wrong one and
 * with the internal token. Each must be a 4xx that carries none of the tenant's data, and the
 * tenant's rows (records, webhooks with their signing keys, settings, outbox) are the same
 * afterwards. The internal taxonomy API gets the same table with no token and with the API key.
 */
@Tag("reliability")
class HostileAuthIT {
  static final String INTERNAL_TOKEN = "internal-token-for-the-table";
  static final HubApp APP =
      HubApp.builder()
          .set("webhooks.allowPrivateTargets", "true")
          .set("webhooks.blacklist", "")
          .set("webhooks.dispatcherEnabled", "false")
          .set("taxonomy.internalApiToken", INTERNAL_TOKEN)
          .set("taxonomy.workerEnabled", "false")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static final String TENANT = TenantIds.fresh("authtable");
  static Api api;
  static String recordId;
  static String webhookId;
  static String signingKey;

  @BeforeAll
  static void seed() {
    api = new Api(APP.baseUrl(), true);
    Reply record =
        api.post(
            "/v1/feedback-records",
            "{\"tenant_id\":"
                + Hostile.quote(TENANT)
                + ",\"source_type\":\"survey\",\"field_id\":\"q1\",\"field_type\":\"text\","
                + "\"value_text\":\"secret answer\",\"user_id\":\"u1\",\"submission_id\":\"s1\"}");
    assertThat(record.status()).as(record.body()).isEqualTo(201);
    recordId = record.json().path("id").asText();
    Reply webhook =
        api.post(
            "/v1/webhooks",
            "{\"url\":\"http://127.0.0.1:9/x\",\"tenant_id\":" + Hostile.quote(TENANT) + "}");
    assertThat(webhook.status()).as(webhook.body()).isEqualTo(201);
    webhookId = webhook.json().path("id").asText();
    signingKey = webhook.json().path("signing_key").asText();
    Reply settings =
        api.send(
            "PUT",
            "/v1/tenants/" + HostileCases.enc(TENANT) + "/settings",
            "{\"target_language\":\"de\"}");
    assertThat(settings.status()).as(settings.body()).isLessThan(300);
  }

  /** A route family: the method and the path (with its query) of one operation. */
  record Route(String method, String path, String body) {}

  static List<Route> apiRoutes() {
    String t = HostileCases.enc(TENANT);
    String record = "{\"tenant_id\":\"" + TENANT + "\",\"value_text\":\"x\"}";
    return List.of(
        new Route("GET", "/v1/feedback-records?tenant_id=" + t, null),
        new Route("GET", "/v1/feedback-records/count?tenant_id=" + t, null),
        new Route("POST", "/v1/feedback-records", record),
        new Route("DELETE", "/v1/feedback-records?tenant_id=" + t + "&user_id=u1", null),
        new Route("GET", "/v1/feedback-records/" + recordId, null),
        new Route("PATCH", "/v1/feedback-records/" + recordId, "{\"value_text\":\"owned\"}"),
        new Route("DELETE", "/v1/feedback-records/" + recordId, null),
        new Route("POST", "/v1/feedback-records/search/semantic", "{\"query\":\"x\"}"),
        new Route("GET", "/v1/feedback-records/" + recordId + "/similar?tenant_id=" + t, null),
        new Route("DELETE", "/v1/tenants/" + t + "/data", null),
        new Route("GET", "/v1/tenants/" + t + "/settings", null),
        new Route("PUT", "/v1/tenants/" + t + "/settings", "{}"),
        new Route("PATCH", "/v1/tenants/" + t + "/settings", "{\"target_language\":\"fr\"}"),
        new Route("GET", "/v1/webhooks?tenant_id=" + t, null),
        new Route("POST", "/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/y\"}"),
        new Route("GET", "/v1/webhooks/" + webhookId, null),
        new Route("PATCH", "/v1/webhooks/" + webhookId, "{\"enabled\":false}"),
        new Route("DELETE", "/v1/webhooks/" + webhookId, null),
        new Route("GET", "/v1/taxonomy/fields?tenant_id=" + t, null),
        new Route("GET", "/v1/taxonomy/runs?tenant_id=" + t, null),
        new Route("POST", "/v1/taxonomy/runs", "{\"tenant_id\":\"" + TENANT + "\"}"),
        new Route("GET", "/v1/taxonomy/runs/active/tree?tenant_id=" + t, null),
        new Route("OPTIONS", "/v1/feedback-records", null),
        new Route("HEAD", "/v1/feedback-records?tenant_id=" + t, null));
  }

  static List<Route> internalRoutes() {
    String run = UUID.randomUUID().toString();
    String base = "/internal/v1/taxonomy";
    return List.of(
        new Route("GET", base + "/auth-check", null),
        new Route("GET", base + "/runs/" + run + "/input", null),
        new Route("PUT", base + "/runs/" + run + "/result", "{}"),
        new Route("POST", base + "/runs/" + run + "/failed", "{}"),
        new Route("POST", base + "/runs/" + run + "/heartbeat", null));
  }

  /** Rewrites of a path (its query kept) that must not change who may call it. */
  static Map<String, UnaryOperator<String>> variants() {
    Map<String, UnaryOperator<String>> v = new java.util.LinkedHashMap<>();
    v.put("as is", p -> p);
    v.put("; after each segment", p -> eachSegment(p, s -> s + ";"));
    v.put(";a=b after each segment", p -> eachSegment(p, s -> s + ";a=b"));
    v.put("; before the path", p -> "/;" + p);
    v.put("first letter percent-encoded", HostileAuthIT::encodeFirstLetter);
    v.put("%3B after the first segment", p -> p.replaceFirst("^/([^/]+)/", "/$1%3B/"));
    v.put("%2F instead of the first slash", p -> p.replaceFirst("^/([^/]+)/", "/$1%2F"));
    v.put("dot segment", p -> p.replaceFirst("^/([^/]+)/", "/$1/./"));
    v.put("dot-dot segment", p -> p.replaceFirst("^/([^/]+)/", "/x/../$1/"));
    v.put("encoded dot-dot", p -> p.replaceFirst("^/([^/]+)/", "/x/%2e%2e/$1/"));
    v.put("doubled leading slash", p -> "/" + p);
    v.put("doubled inner slash", p -> p.replaceFirst("^/([^/]+)/", "/$1//"));
    v.put("trailing slash", p -> path(p) + "/" + query(p));
    v.put(
        "V1 upper case",
        p -> p.replaceFirst("^/v1/", "/V1/").replaceFirst("^/internal/", "/INTERNAL/"));
    v.put("backslash separator", p -> p.replaceFirst("^/([^/]+)/", "/$1%5C"));
    return v;
  }

  @Test
  void noApiRouteAnswersWithoutTheApiKey() {
    String before = TenantRows.snapshot(TENANT);
    List<String> failures = new ArrayList<>();
    for (Route route : apiRoutes()) {
      for (Map.Entry<String, UnaryOperator<String>> variant : variants().entrySet()) {
        String path = variant.getValue().apply(route.path());
        for (String[] credential :
            List.of(
                new String[0],
                new String[] {"Authorization", "Bearer wrong-key"},
                new String[] {"Authorization", "Bearer " + INTERNAL_TOKEN},
                new String[] {"Authorization", "Basic dXNlcjpwYXNz"})) {
          check(route, path, variant.getKey(), credential, failures);
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(TenantRows.snapshot(TENANT)).isEqualTo(before);
  }

  @Test
  void noInternalRouteAnswersWithoutTheInternalToken() {
    String before = TenantRows.snapshot(TENANT);
    List<String> failures = new ArrayList<>();
    for (Route route : internalRoutes()) {
      for (Map.Entry<String, UnaryOperator<String>> variant : variants().entrySet()) {
        String path = variant.getValue().apply(route.path());
        for (String[] credential :
            List.of(
                new String[0],
                new String[] {"Authorization", "Bearer " + HubApp.API_KEY},
                new String[] {"Authorization", "Bearer " + INTERNAL_TOKEN + "x"})) {
          check(route, path, variant.getKey(), credential, failures);
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(TenantRows.snapshot(TENANT)).isEqualTo(before);
  }

  /** The table's own control: the same routes with their credential are reached. */
  @Test
  void theRoutesOfTheTableAreReachableWithTheirCredential() {
    assertThat(api.get("/v1/feedback-records?tenant_id=" + HostileCases.enc(TENANT)).body())
        .contains(recordId);
    Reply internal =
        api.send(
            "GET",
            "/internal/v1/taxonomy/auth-check",
            null,
            "Authorization",
            "Bearer " + INTERNAL_TOKEN);
    assertThat(internal.status()).isEqualTo(200);
  }

  private static void check(
      Route route, String path, String variant, String[] credential, List<String> failures) {
    Reply reply = api.send(route.method(), path, route.body(), credential);
    String where =
        route.method()
            + " "
            + path
            + " ("
            + variant
            + (credential.length == 0 ? ", no credential" : ", " + credential[1])
            + ")";
    if (reply.status() < 400 || reply.status() > 499) {
      failures.add(where + " -> " + reply.status() + " " + reply.body());
    } else if (reply.body().contains(signingKey)
        || reply.body().contains("secret answer")
        || reply.body().contains("target_language")) {
      failures.add(where + " leaked tenant data: " + reply.body());
    }
  }

  private static String path(String p) {
    int q = p.indexOf('?');
    return q < 0 ? p : p.substring(0, q);
  }

  private static String query(String p) {
    int q = p.indexOf('?');
    return q < 0 ? "" : p.substring(q);
  }

  private static String eachSegment(String p, UnaryOperator<String> segment) {
    String[] parts = path(p).substring(1).split("/", -1);
    StringBuilder out = new StringBuilder();
    for (String part : parts) {
      out.append('/').append(segment.apply(part));
    }
    return out + query(p);
  }

  private static String encodeFirstLetter(String p) {
    char c = p.charAt(1);
    return "/%" + String.format("%02X", (int) c) + p.substring(2);
  }
}
