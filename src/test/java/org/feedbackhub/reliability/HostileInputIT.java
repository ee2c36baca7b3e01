package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;

/**
 * Property-based hostile input (jqwik, bounded tries): generated and damaged bodies, query strings,
 * path segments and headers at every feedback-record, tenant and webhook endpoint. For every
 * request: never a 5xx, only the endpoint's documented statuses, problem+json on every 4xx, and
 * nothing written on a 4xx (the rows a request could touch are compared before and after). Valid
 * hostile strings (SQL and JSON injection, RTL, emoji, combining marks) round-trip verbatim.
 *
 * @implNote jqwik does not run Jupiter extensions, so the application is started and stopped by the
 *     container lifecycle hooks.
 */
@Tag("reliability")
class HostileInputIT {
  static final HubApp APP =
      HubApp.builder()
          .set("webhooks.allowPrivateTargets", "true")
          .set("webhooks.blacklist", "")
          .set("webhooks.dispatcherEnabled", "false")
          .set("webhooks.maxCount", "1000000")
          .build();
  static final DropwizardAppExtension<?> EXT = APP.extension();
  static final String TENANT = TenantIds.fresh("hostile");

  static Api api;
  static String recordId;
  static String webhookId;

  @BeforeContainer
  static void start() throws Exception {
    EXT.before();
    api = new Api(APP.baseUrl(), true);
    Reply record = api.post("/v1/feedback-records", validCreate("seed", Map.of()));
    assertThat(record.status()).as(record.body()).isEqualTo(201);
    recordId = record.json().path("id").asText();
    Reply webhook =
        api.post(
            "/v1/webhooks",
            "{\"url\":\"http://127.0.0.1:9/seed\",\"tenant_id\":" + Hostile.quote(TENANT) + "}");
    assertThat(webhook.status()).as(webhook.body()).isEqualTo(201);
    webhookId = webhook.json().path("id").asText();
  }

  @AfterContainer
  static void stop() {
    EXT.after();
  }

  // --- bodies ---------------------------------------------------------------------------------

  @Property(tries = 150)
  void createRecordBodies(@ForAll("createBodies") String body) {
    String before = tenantState();
    Reply reply = api.post("/v1/feedback-records", body);
    assertContract(reply, Set.of(201, 400, 409, 413));
    if (reply.status() >= 400) {
      assertThat(tenantState()).as("rows after a %d", reply.status()).isEqualTo(before);
    }
  }

  @Property(tries = 120)
  void updateRecordBodies(@ForAll("updateBodies") String body) {
    String before = recordRow();
    Reply reply = api.patch("/v1/feedback-records/" + recordId, body);
    assertContract(reply, Set.of(200, 400, 413));
    if (reply.status() >= 400) {
      assertThat(recordRow()).as("record after a %d", reply.status()).isEqualTo(before);
    }
  }

  @Property(tries = 120)
  void webhookBodies(@ForAll("webhookBodies") String body, @ForAll boolean create) {
    String before = tenantState();
    Reply reply =
        create ? api.post("/v1/webhooks", body) : api.patch("/v1/webhooks/" + webhookId, body);
    assertContract(reply, create ? Set.of(201, 400, 413) : Set.of(200, 400, 413));
    if (reply.status() >= 400) {
      assertThat(tenantState()).as("rows after a %d", reply.status()).isEqualTo(before);
    }
  }

  @Property(tries = 100)
  void settingsBodies(@ForAll("settingsBodies") String body, @ForAll boolean put) {
    String before = tenantState();
    Reply reply = api.send(put ? "PUT" : "PATCH", "/v1/tenants/" + enc(TENANT) + "/settings", body);
    assertContract(reply, Set.of(200, 400, 413));
    if (reply.status() >= 400) {
      assertThat(tenantState()).as("rows after a %d", reply.status()).isEqualTo(before);
    }
  }

  // --- query strings, paths, headers ----------------------------------------------------------

  @Property(tries = 150)
  void queryStrings(@ForAll("listPaths") String path, @ForAll("queries") String query) {
    String before = tenantState();
    boolean erase = path.equals("DELETE /v1/feedback-records");
    String[] parts = path.split(" ");
    Reply reply = api.send(parts[0], parts[1] + "?" + query, null);
    assertContract(reply, Set.of(200, 400, 414));
    if (reply.status() >= 400 || erase) {
      assertThat(tenantState()).as("rows after %s?%s", path, query).isEqualTo(before);
    }
  }

  @Property(tries = 150)
  void pathSegments(@ForAll("routes") String route, @ForAll("segments") String segment) {
    String before = tenantState();
    String[] parts = route.split(" ");
    String path = parts[1].replace("{}", segment);
    String body = parts[0].equals("PATCH") || parts[0].equals("PUT") ? "{}" : null;
    Reply reply = api.send(parts[0], path, body);
    assertContract(reply, Set.of(200, 204, 400, 404, 405, 414));
    if (reply.status() >= 400) {
      assertThat(tenantState()).as("rows after %s %s", parts[0], path).isEqualTo(before);
    }
  }

  @Property(tries = 120)
  void headers(
      @ForAll("authorizations") String authorization,
      @ForAll("headerValues") String contentType,
      @ForAll("headerValues") String requestId,
      @ForAll("headerValues") String accept) {
    String before = tenantState();
    List<String> headers = new ArrayList<>();
    if (!authorization.isEmpty()) {
      headers.addAll(List.of("Authorization", authorization));
    }
    headers.addAll(List.of("Content-Type", contentType, "X-Request-ID", requestId));
    headers.addAll(List.of("Accept", accept));
    Reply reply =
        api.send(
            "POST",
            "/v1/feedback-records",
            validCreate("h-" + UUID.randomUUID(), Map.of()),
            headers.toArray(String[]::new));
    assertContract(reply, Set.of(201, 400, 401, 406, 415));
    if (reply.status() >= 400) {
      assertThat(tenantState()).as("rows after a %d", reply.status()).isEqualTo(before);
    }
  }

  // --- round trip -----------------------------------------------------------------------------

  @Property(tries = 100)
  void validHostileStringsRoundTripVerbatim(
      @ForAll("validIds") String id, @ForAll("validTexts") String text) {
    String submission = id + "|" + UUID.randomUUID();
    if (submission.length() > 255) {
      submission = submission.substring(submission.length() - 255);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("submission_id", submission);
    fields.put("user_id", id);
    fields.put("source_name", id);
    fields.put("value_text", text);
    fields.put("field_label", text);
    String base = validCreate(submission, fields);
    String body =
        base.substring(0, base.length() - 1)
            + ",\"metadata\":{"
            + Hostile.quote(id)
            + ":"
            + Hostile.quote(text)
            + "}}";
    Reply created = api.post("/v1/feedback-records", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode got = api.get("/v1/feedback-records/" + created.json().path("id").asText()).json();
    assertThat(got.path("submission_id").asText()).isEqualTo(submission);
    assertThat(got.path("user_id").asText()).isEqualTo(id);
    assertThat(got.path("source_name").asText()).isEqualTo(id);
    assertThat(got.path("value_text").asText()).isEqualTo(text);
    assertThat(got.path("field_label").asText()).isEqualTo(text);
    assertThat(got.path("metadata").path(id).asText()).isEqualTo(text);
    Reply listed =
        api.get(
            "/v1/feedback-records?tenant_id="
                + enc(TENANT)
                + "&user_id="
                + enc(id)
                + "&submission_id="
                + enc(submission));
    assertThat(listed.json().path("data")).hasSize(1);
  }

  // --- generators -----------------------------------------------------------------------------

  @Provide
  Arbitrary<String> createBodies() {
    Arbitrary<Map<String, String>> mutated =
        fieldMutations(
            List.of(
                "tenant_id",
                "source_type",
                "field_id",
                "field_type",
                "submission_id",
                "collected_at",
                "source_id",
                "source_name",
                "field_label",
                "field_group_id",
                "field_group_label",
                "value_text",
                "value_id",
                "value_number",
                "value_boolean",
                "value_date",
                "metadata",
                "language",
                "user_id",
                "unknown_field",
                "id",
                "created_at",
                "sentiment"));
    return Combinators.combine(mutated, Hostile.textDamage())
        .as((fields, damage) -> damage.apply(render(createBase(), fields)));
  }

  @Provide
  Arbitrary<String> updateBodies() {
    Arbitrary<Map<String, String>> mutated =
        fieldMutations(
            List.of(
                "value_text",
                "value_id",
                "value_number",
                "value_boolean",
                "value_date",
                "metadata",
                "language",
                "user_id",
                "tenant_id",
                "field_id",
                "source_type",
                "id"));
    return Combinators.combine(mutated, Hostile.textDamage())
        .as((fields, damage) -> damage.apply(render(new LinkedHashMap<>(), fields)));
  }

  @Provide
  Arbitrary<String> webhookBodies() {
    Arbitrary<Map<String, String>> mutated =
        fieldMutations(
            List.of(
                "url",
                "tenant_id",
                "signing_key",
                "enabled",
                "event_types",
                "unknown",
                "disabled_reason"));
    return Combinators.combine(mutated, Hostile.textDamage())
        .as(
            (fields, damage) -> {
              Map<String, String> base = new LinkedHashMap<>();
              base.put("url", "\"http://127.0.0.1:9/hostile\"");
              base.put("tenant_id", Hostile.quote(TENANT));
              return damage.apply(render(base, fields));
            });
  }

  @Provide
  Arbitrary<String> settingsBodies() {
    Arbitrary<Map<String, String>> mutated =
        fieldMutations(
            List.of(
                "target_language", "sentiment_enabled", "emotions_enabled", "tenant_id", "other"));
    return Combinators.combine(mutated, Hostile.textDamage())
        .as((fields, damage) -> damage.apply(render(new LinkedHashMap<>(), fields)));
  }

  /** One to three fields set to hostile JSON values (or removed, as the value "<absent>"). */
  private static Arbitrary<Map<String, String>> fieldMutations(List<String> names) {
    Arbitrary<String> value = Arbitraries.oneOf(Hostile.jsonValues(), Arbitraries.just("<absent>"));
    return Arbitraries.maps(Arbitraries.of(names), value).ofMinSize(1).ofMaxSize(3);
  }

  private static Map<String, String> createBase() {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("tenant_id", Hostile.quote(TENANT));
    base.put("source_type", "\"hostile\"");
    base.put("field_id", "\"f\"");
    base.put("field_type", "\"text\"");
    base.put("submission_id", Hostile.quote("s-" + UUID.randomUUID()));
    return base;
  }

  private static String render(Map<String, String> base, Map<String, String> mutations) {
    Map<String, String> fields = new LinkedHashMap<>(base);
    mutations.forEach(
        (k, v) -> {
          if (v.equals("<absent>")) {
            fields.remove(k);
          } else {
            fields.put(k, v);
          }
        });
    return fields.entrySet().stream()
        .map(e -> Hostile.quote(e.getKey()) + ":" + e.getValue())
        .collect(Collectors.joining(",", "{", "}"));
  }

  @Provide
  Arbitrary<String> listPaths() {
    return Arbitraries.of(
        "GET /v1/feedback-records",
        "GET /v1/feedback-records/count",
        "DELETE /v1/feedback-records",
        "GET /v1/webhooks");
  }

  @Provide
  Arbitrary<String> queries() {
    Arbitrary<String> name =
        Arbitraries.oneOf(
            Arbitraries.of(
                "tenant_id",
                "user_id",
                "limit",
                "cursor",
                "since",
                "until",
                "field_type",
                "submission_id",
                "source_type",
                "source_id",
                "field_id",
                "field_group_id",
                "value_id",
                "enabled",
                "min_score"),
            Arbitraries.strings().all().ofMaxLength(8));
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.of(
                "",
                "0",
                "-1",
                "1001",
                "99999999999999999999",
                "1.5",
                "abc",
                "true",
                "TRUE",
                "2024-13-45",
                "2024-01-01T00:00:00Z",
                "text",
                "bogus",
                TENANT,
                "x".repeat(300),
                "eyJ0IjoiMjAyNC0wMS0wMVQwMDowMDowMFoiLCJpIjoibm90LWEtdXVpZCJ9",
                "eyJ0IjoxLCJpIjpbXX0",
                "e30",
                "W10",
                "bnVsbA",
                "!!!",
                "====",
                "eyJ0Ijo"),
            Arbitraries.of(Hostile.VALID_NASTY),
            Arbitraries.of(Hostile.INVALID),
            Arbitraries.strings().all().ofMaxLength(20).filter(Hostile::encodable),
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMaxSize(40)
                .map(b -> java.util.Base64.getUrlEncoder().encodeToString(b)));
    Arbitrary<String> pair = Combinators.combine(name, value).as((n, v) -> enc(n) + "=" + enc(v));
    return Combinators.combine(pair.list().ofMinSize(0).ofMaxSize(4), Arbitraries.of(true, false))
        .as(
            (pairs, withTenant) ->
                (withTenant ? "tenant_id=" + enc(TENANT) + "&" : "")
                    + "user_id="
                    + enc("nobody-" + UUID.randomUUID())
                    + "&"
                    + String.join("&", pairs));
  }

  @Provide
  Arbitrary<String> routes() {
    return Arbitraries.of(
        "GET /v1/feedback-records/{}",
        "PATCH /v1/feedback-records/{}",
        "DELETE /v1/feedback-records/{}",
        "GET /v1/webhooks/{}",
        "PATCH /v1/webhooks/{}",
        "DELETE /v1/webhooks/{}",
        "DELETE /v1/tenants/{}/data",
        "GET /v1/tenants/{}/settings",
        "PATCH /v1/tenants/{}/settings",
        "PUT /v1/tenants/{}/settings");
  }

  @Provide
  Arbitrary<String> segments() {
    return Arbitraries.oneOf(
        Arbitraries.of(Hostile.VALID_NASTY).map(HostileInputIT::enc),
        Arbitraries.of(Hostile.INVALID).map(HostileInputIT::enc),
        Arbitraries.strings()
            .all()
            .ofMinLength(1)
            .ofMaxLength(30)
            .filter(Hostile::encodable)
            .map(HostileInputIT::enc),
        Arbitraries.of(
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
            UUID.randomUUID().toString(),
            "0",
            "-1",
            "%20",
            "%2F",
            "%5C",
            "..",
            ".",
            "%2e%2e",
            "x".repeat(300),
            "%E2%80%AE",
            "%F0%9F%98%80",
            ";",
            "a;b=c",
            "%3B"));
  }

  @Provide
  Arbitrary<String> authorizations() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "",
            "Bearer " + HubApp.API_KEY,
            "bearer " + HubApp.API_KEY,
            "BEARER " + HubApp.API_KEY,
            "Bearer",
            "Bearer ",
            "Basic dXNlcjpwYXNz",
            "Bearer " + HubApp.API_KEY + "x",
            "Bearer " + HubApp.API_KEY.toUpperCase(),
            "Bearer  " + HubApp.API_KEY,
            "Bearer\t" + HubApp.API_KEY,
            "Bearer " + "k".repeat(4000),
            "Bearer ' OR 1=1 --"),
        headerValues().map(v -> "Bearer " + v));
  }

  @Provide
  Arbitrary<String> headerValues() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=latin1",
            "application/json; charset=bogus",
            "text/plain",
            "application/xml",
            "application/merge-patch+json",
            "*/*",
            "application/*",
            "multipart/form-data",
            "application/json;;;",
            "x",
            "../../",
            "' OR 1=1 --",
            "01a22452-6d65-7dfa-b1f6-3d2f12de839a",
            "a".repeat(2000)),
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .ofMinLength(1)
            .ofMaxLength(60)
            .map(String::strip)
            .filter(s -> !s.isEmpty()));
  }

  @Provide
  Arbitrary<String> validIds() {
    return Hostile.validStrings(200);
  }

  @Provide
  Arbitrary<String> validTexts() {
    return Hostile.validStrings(2048);
  }

  // --- helpers --------------------------------------------------------------------------------

  static String validCreate(String submission, Map<String, String> overrides) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("tenant_id", TENANT);
    fields.put("source_type", "hostile");
    fields.put("field_id", "f");
    fields.put("field_type", "text");
    fields.put("submission_id", submission);
    fields.putAll(overrides);
    return fields.entrySet().stream()
        .map(e -> Hostile.quote(e.getKey()) + ":" + Hostile.quote(e.getValue()))
        .collect(Collectors.joining(",", "{", "}"));
  }

  /** Never a 5xx or a transport failure; a documented status; problem+json on every 4xx. */
  static void assertContract(Reply reply, Set<Integer> allowed) {
    assertThat(reply.status()).as("status; body %s", abbreviate(reply.body())).isIn(allowed);
    if (reply.status() >= 400) {
      assertThat(reply.contentType()).startsWith("application/problem+json");
      JsonNode problem = reply.json();
      assertThat(problem.path("status").asInt()).isEqualTo(reply.status());
      assertThat(problem.path("code").asText()).isNotEmpty();
      assertThat(problem.path("request_id").asText()).isNotEmpty();
    }
  }

  /** Every row tenant {@link #TENANT} owns, as text: any write shows up as a difference. */
  static String tenantState() {
    return String.join(
        "\n",
        Db.queryStrings(
            "SELECT 'r' || f::text FROM feedback_records f WHERE tenant_id = ?"
                + " UNION ALL SELECT 'w' || w::text FROM webhooks w WHERE tenant_id = ?"
                + " UNION ALL SELECT 's' || s::text FROM tenant_settings s WHERE tenant_id = ?"
                + " UNION ALL SELECT 'o' || count(*) FROM outbox_messages WHERE tenant_id = ?"
                + " ORDER BY 1",
            TENANT,
            TENANT,
            TENANT,
            TENANT));
  }

  static String recordRow() {
    return String.join(
        "", Db.queryStrings("SELECT f::text FROM feedback_records f WHERE id = ?::uuid", recordId));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  static final UnaryOperator<String> IDENTITY = s -> s;
}
