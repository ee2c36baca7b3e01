package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.feedbackhub.reliability.HostileCases.assertContract;
import static org.feedbackhub.reliability.HostileCases.enc;
import static org.feedbackhub.reliability.HostileCases.forEachCase;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input from seeded generated inputs (a bounded number of cases per test): generated and
 * damaged bodies, query strings, path segments and headers at every feedback-record, tenant and
 * webhook endpoint. For every request: never a 5xx, only the endpoint's documented statuses,
 * problem+json on every 4xx, and nothing written on a 4xx (the rows a request could touch are
 * compared before and after). Valid hostile strings (SQL and JSON injection, RTL, emoji, combining
 * marks) round-trip verbatim.
 *
 * <p>Every case draws from its own {@link Random}, seeded from {@code -Dhostile.seed=S} (default
 * {@value HostileCases#DEFAULT_SEED}), the test's name and the case number; a failure names the
 * seed, the case and its inputs, and rerunning with the same seed replays it.
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
  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();
  static final String TENANT = TenantIds.fresh("hostile");

  static Api api;
  static String recordId;
  static String webhookId;

  @BeforeAll
  static void start() {
    HostileCases.announce(HostileInputIT.class);
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

  // --- bodies ---------------------------------------------------------------------------------

  @Test
  void createRecordBodies() {
    forEachCase(
        HostileInputIT.class,
        "createRecordBodies",
        150,
        c -> createRecordBody(c.draw("body", createBodies())));
  }

  private void createRecordBody(String body) {
    String before = tenantState();
    Reply reply = api.post("/v1/feedback-records", body);
    assertContract(reply, Set.of(201, 400, 409, 413));
    if (reply.status() >= 400) {
      assertThat(tenantState()).as("rows after a %d", reply.status()).isEqualTo(before);
    }
  }

  @Test
  void updateRecordBodies() {
    forEachCase(
        HostileInputIT.class,
        "updateRecordBodies",
        120,
        c -> updateRecordBody(c.draw("body", updateBodies())));
  }

  private void updateRecordBody(String body) {
    String before = recordRow();
    Reply reply = api.patch("/v1/feedback-records/" + recordId, body);
    assertContract(reply, Set.of(200, 400, 413));
    if (reply.status() >= 400) {
      assertThat(recordRow()).as("record after a %d", reply.status()).isEqualTo(before);
    }
  }

  @Test
  void webhookBodies() {
    forEachCase(
        HostileInputIT.class,
        "webhookBodies",
        120,
        c -> webhookBody(c.draw("body", webhookBodyGen()), c.draw("create", Gen.booleans())));
  }

  private void webhookBody(String body, boolean create) {
    String before = tenantState();
    Reply reply =
        create ? api.post("/v1/webhooks", body) : api.patch("/v1/webhooks/" + webhookId, body);
    assertContract(reply, create ? Set.of(201, 400, 413) : Set.of(200, 400, 413));
    if (reply.status() >= 400) {
      assertThat(tenantState()).as("rows after a %d", reply.status()).isEqualTo(before);
    }
  }

  @Test
  void settingsBodies() {
    forEachCase(
        HostileInputIT.class,
        "settingsBodies",
        100,
        c -> settingsBody(c.draw("body", settingsBodyGen()), c.draw("put", Gen.booleans())));
  }

  private void settingsBody(String body, boolean put) {
    String before = tenantState();
    Reply reply = api.send(put ? "PUT" : "PATCH", "/v1/tenants/" + enc(TENANT) + "/settings", body);
    assertContract(reply, Set.of(200, 400, 413));
    if (reply.status() >= 400) {
      assertThat(tenantState()).as("rows after a %d", reply.status()).isEqualTo(before);
    }
  }

  // --- query strings, paths, headers ----------------------------------------------------------

  @Test
  void queryStrings() {
    forEachCase(
        HostileInputIT.class,
        "queryStrings",
        150,
        c -> queryString(c.draw("path", listPaths()), c.draw("query", queries())));
  }

  private void queryString(String path, String query) {
    String before = tenantState();
    boolean erase = path.equals("DELETE /v1/feedback-records");
    String[] parts = path.split(" ");
    Reply reply = api.send(parts[0], parts[1] + "?" + query, null);
    assertContract(reply, Set.of(200, 400, 414));
    if (reply.status() >= 400 || erase) {
      assertThat(tenantState()).as("rows after %s?%s", path, query).isEqualTo(before);
    }
  }

  /** The record query parameters of api-next.md E, repeated and combined, on list and count. */
  @Test
  void recordQueryFilters() {
    forEachCase(
        HostileInputIT.class,
        "recordQueryFilters",
        150,
        c ->
            queryString(
                c.draw(
                    "path", Gen.of("GET /v1/feedback-records", "GET /v1/feedback-records/count")),
                "tenant_id=" + enc(TENANT) + "&" + c.draw("query", recordQueries())));
  }

  @Test
  void pathSegments() {
    forEachCase(
        HostileInputIT.class,
        "pathSegments",
        150,
        c -> pathSegment(c.draw("route", routes()), c.draw("segment", segments())));
  }

  private void pathSegment(String route, String segment) {
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

  @Test
  void headers() {
    forEachCase(
        HostileInputIT.class,
        "headers",
        120,
        c ->
            sendWithHeaders(
                c.draw("authorization", authorizations()),
                c.draw("contentType", headerValues()),
                c.draw("requestId", headerValues()),
                c.draw("accept", headerValues())));
  }

  private void sendWithHeaders(
      String authorization, String contentType, String requestId, String accept) {
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

  @Test
  void validHostileStringsRoundTripVerbatim() {
    forEachCase(
        HostileInputIT.class,
        "validHostileStringsRoundTripVerbatim",
        100,
        c ->
            roundTrip(
                c.draw("id", Hostile.validStrings(200)),
                c.draw("text", Hostile.validStrings(2048))));
  }

  private void roundTrip(String id, String text) {
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

  static Gen<String> createBodies() {
    Gen<Map<String, String>> mutated =
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
    Gen<UnaryOperator<String>> damage = Hostile.textDamage();
    return r -> damage.next(r).apply(render(createBase(r), mutated.next(r)));
  }

  static Gen<String> updateBodies() {
    Gen<Map<String, String>> mutated =
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
    Gen<UnaryOperator<String>> damage = Hostile.textDamage();
    return r -> damage.next(r).apply(render(new LinkedHashMap<>(), mutated.next(r)));
  }

  static Gen<String> webhookBodyGen() {
    Gen<Map<String, String>> mutated =
        fieldMutations(
            List.of(
                "url",
                "tenant_id",
                "signing_key",
                "enabled",
                "event_types",
                "unknown",
                "disabled_reason"));
    Gen<UnaryOperator<String>> damage = Hostile.textDamage();
    return r -> {
      Map<String, String> fields = mutated.next(r);
      Map<String, String> base = new LinkedHashMap<>();
      base.put("url", "\"http://127.0.0.1:9/hostile\"");
      base.put("tenant_id", Hostile.quote(TENANT));
      return damage.next(r).apply(render(base, fields));
    };
  }

  static Gen<String> settingsBodyGen() {
    Gen<Map<String, String>> mutated =
        fieldMutations(
            List.of(
                "target_language", "sentiment_enabled", "emotions_enabled", "tenant_id", "other"));
    Gen<UnaryOperator<String>> damage = Hostile.textDamage();
    return r -> damage.next(r).apply(render(new LinkedHashMap<>(), mutated.next(r)));
  }

  /** One to three fields set to hostile JSON values (or removed, as the value "<absent>"). */
  private static Gen<Map<String, String>> fieldMutations(List<String> names) {
    Gen<String> value = Gen.oneOf(Hostile.jsonValues(), Gen.just("<absent>"));
    return Gen.maps(Gen.of(names), value, 1, 3);
  }

  private static Map<String, String> createBase(Random random) {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("tenant_id", Hostile.quote(TENANT));
    base.put("source_type", "\"hostile\"");
    base.put("field_id", "\"f\"");
    base.put("field_type", "\"text\"");
    base.put("submission_id", Hostile.quote("s-" + new UUID(random.nextLong(), random.nextLong())));
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

  static Gen<String> listPaths() {
    return Gen.of(
        "GET /v1/feedback-records",
        "GET /v1/feedback-records/count",
        "DELETE /v1/feedback-records",
        "GET /v1/webhooks");
  }

  static Gen<String> queries() {
    Gen<String> name =
        Gen.oneOf(
            Gen.of(
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
                "min_score",
                "source_name",
                "language",
                "sentiment",
                "emotions",
                "created_since",
                "created_until",
                "updated_since",
                "updated_until",
                "value_number_min",
                "value_number_max",
                "value_date_min",
                "value_date_max",
                "sentiment_score_min",
                "sentiment_score_max",
                "has_sentiment",
                "has_emotions",
                "has_translation",
                "sort",
                "order"),
            Gen.strings(0, 8));
    Gen<String> value = queryValues();
    Gen<String> pair = r -> enc(name.next(r)) + "=" + enc(value.next(r));
    Gen<List<String>> pairs = pair.list(0, 4);
    return r -> {
      List<String> drawn = pairs.next(r);
      boolean withTenant = r.nextBoolean();
      return (withTenant ? "tenant_id=" + enc(TENANT) + "&" : "")
          + "user_id="
          + enc("nobody-" + new UUID(r.nextLong(), r.nextLong()))
          + "&"
          + String.join("&", drawn);
    };
  }

  /** Values of query parameters: valid, invalid, hostile, random and base64 (cursor-like). */
  static Gen<String> queryValues() {
    return Gen.oneOf(
        Gen.of(
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
            "eyJ0Ijo",
            "text,nps",
            "text,,bogus",
            ",,,",
            "negative,very_positive",
            "joy,fear,joy",
            "collected_at",
            "created_at",
            "asc",
            "desc",
            "-1.0000001",
            "1e15",
            "-0",
            "0x1p3",
            "NaN",
            "-Infinity",
            "+294277-01-01T00:00:00Z",
            "2080-12-31T23:59:59.999999999Z",
            // cursors: year 294277, 4714 BC, nanoseconds, a cursor of another sort
            "eyJ0IjoiKzI5NDI3Ny0wMS0wMVQwMDowMDowMFoiLCJpIjoiMDE5MmI0ZTAtMDAwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAwIn0",
            "eyJ0IjoiLTQ3MTMtMDEtMDFUMDA6MDA6MDBaIiwiaSI6IjAxOTJiNGUwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMCJ9",
            "eyJ0IjoiMjAyNS0wMS0wMVQwMDowMDowMC4xMjM0NTY3ODlaIiwiaSI6IjAxOTJiNGUwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMCJ9",
            "eyJ0IjoiMjAyNS0wMS0wMVQwMDowMDowMFoiLCJpIjoiMDE5MmI0ZTAtMDAwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAwIiwicyI6ImNyZWF0ZWRfYXQiLCJvIjoiYXNjIn0"),
        Gen.of(Hostile.VALID_NASTY),
        Gen.of(Hostile.INVALID),
        Gen.strings(0, 20).filter(Hostile::encodable),
        Gen.bytes(40).map(b -> java.util.Base64.getUrlEncoder().encodeToString(b)));
  }

  /** One to eight pairs of the record filters, sort, order, limit and cursor, names repeating. */
  static Gen<String> recordQueries() {
    Gen<String> name =
        Gen.of(
            "source_name",
            "language",
            "field_id",
            "field_type",
            "sentiment",
            "emotions",
            "since",
            "until",
            "created_since",
            "updated_until",
            "value_number_min",
            "value_number_max",
            "value_date_min",
            "sentiment_score_min",
            "sentiment_score_max",
            "has_sentiment",
            "has_translation",
            "sort",
            "order",
            "cursor",
            "limit");
    Gen<String> value = queryValues();
    Gen<String> pair = r -> name.next(r) + "=" + enc(value.next(r));
    return r -> String.join("&", pair.list(1, 8).next(r));
  }

  static Gen<String> routes() {
    return Gen.of(
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

  static Gen<String> segments() {
    return Gen.oneOf(
        Gen.of(Hostile.VALID_NASTY).map(HostileCases::enc),
        Gen.of(Hostile.INVALID).map(HostileCases::enc),
        Gen.strings(1, 30).filter(Hostile::encodable).map(HostileCases::enc),
        Gen.of(
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "01a22452-6d65-7dfa-b1f6-3d2f12de839a",
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

  static Gen<String> authorizations() {
    return Gen.oneOf(
        Gen.of(
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

  static Gen<String> headerValues() {
    return Gen.oneOf(
        Gen.of(
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
        Gen.strings(' ', '~', 1, 60).map(String::strip).filter(s -> !s.isEmpty()));
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

  /** Every row tenant {@link #TENANT} owns, as text: any write shows up as a difference. */
  static String tenantState() {
    return TenantRows.snapshot(TENANT);
  }

  static String recordRow() {
    return String.join(
        "", Db.queryStrings("SELECT f::text FROM feedback_records f WHERE id = ?::uuid", recordId));
  }

  static final UnaryOperator<String> IDENTITY = s -> s;
}
