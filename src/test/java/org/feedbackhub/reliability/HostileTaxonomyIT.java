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
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.FakeOpenAiEmbeddings;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input at every public taxonomy route (api.md section 2.4) and at the internal taxonomy
 * API (mounted here with {@code taxonomy.internalApiToken}): generated and damaged bodies, query
 * strings, path segments and bearer tokens. The start worker and the embedding worker are off, so
 * the tenant's rows change only through the requests under test: every 4xx leaves them as they
 * were. Valid hostile scope values, labels and actors are stored and returned verbatim. Seeds as in
 * {@link HostileInputIT}.
 */
@Tag("reliability")
class HostileTaxonomyIT {
  static final String MODEL = "hostile-taxonomy-model";
  static final String INTERNAL_TOKEN = "hostile-internal-token";
  static final FakeOpenAiEmbeddings PROVIDER = new FakeOpenAiEmbeddings();
  static final HubApp APP =
      HubApp.builder()
          .set("embeddings.provider", "openai")
          .set("embeddings.model", MODEL)
          .set("embeddings.apiKey", "sk-test")
          .set("embeddings.baseUrl", PROVIDER.baseUrl())
          .set("embeddings.workerEnabled", "false")
          // never called: the start worker is off, so runs stay pending until the test moves them
          .set("taxonomy.serviceUrl", "http://127.0.0.1:9")
          .set("taxonomy.internalApiToken", INTERNAL_TOKEN)
          .set("taxonomy.minEmbeddedRecords", "3")
          .set("taxonomy.workerEnabled", "false")
          .set("taxonomy.reaperIntervalSeconds", "3600")
          .set("webhooks.dispatcherEnabled", "false")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();
  static final String TENANT = TenantIds.fresh("hostile-taxonomy");

  static Api api;
  static List<String> recordIds;
  static String activeRunId;
  static String leafNodeId;
  static String rootNodeId;
  static String pendingRunId;
  static List<String> pendingRecordIds;

  @BeforeAll
  static void seed() {
    HostileCases.announce(HostileTaxonomyIT.class);
    api = new Api(APP.baseUrl(), true);
    recordIds = embeddedField("q1", 4);
    activeRunId = createRun(TENANT, "hostile", "s1", "q1", null);
    Reply stored =
        internal("PUT", "/internal/v1/taxonomy/runs/" + activeRunId + "/result", result(recordIds));
    assertThat(stored.status()).as(stored.body()).isEqualTo(200);
    JsonNode tree =
        api.get("/v1/taxonomy/runs/" + activeRunId + "/tree?tenant_id=" + enc(TENANT)).json();
    rootNodeId = tree.path("root").path("id").asText();
    leafNodeId = tree.path("root").path("children").get(0).path("id").asText();
    newPendingRun();
  }

  @AfterAll
  static void stopProvider() {
    PROVIDER.close();
  }

  // --- public routes --------------------------------------------------------------------------

  @Test
  void createRunBodies() {
    forEachCase(
        HostileTaxonomyIT.class,
        "createRunBodies",
        60,
        c -> {
          String body = c.draw("body", createRunBodyGen());
          String before = TenantRows.snapshot(TENANT);
          Reply reply = api.post("/v1/taxonomy/runs", body);
          assertContract(reply, Set.of(200, 202, 400, 413));
          assertUnchangedAfter4xx(reply, before);
        });
  }

  @Test
  void renameNodeBodies() {
    forEachCase(
        HostileTaxonomyIT.class,
        "renameNodeBodies",
        60,
        c -> {
          String body = c.draw("body", renameBodyGen());
          String before = TenantRows.snapshot(TENANT);
          Reply reply = api.patch("/v1/taxonomy/nodes/" + leafNodeId, body);
          assertContract(reply, Set.of(200, 400, 404, 413));
          assertUnchangedAfter4xx(reply, before);
        });
  }

  @Test
  void queryStrings() {
    forEachCase(
        HostileTaxonomyIT.class,
        "queryStrings",
        80,
        c -> {
          String route = c.draw("route", queryRoutes());
          String query = c.draw("query", queries());
          String[] parts = route.split(" ");
          String before = TenantRows.snapshot(TENANT);
          Reply reply = api.send(parts[0], parts[1] + "?" + query, null);
          assertContract(reply, Set.of(200, 400, 404, 414));
          assertUnchangedAfter4xx(reply, before);
        });
  }

  @Test
  void pathSegments() {
    forEachCase(
        HostileTaxonomyIT.class,
        "pathSegments",
        80,
        c -> {
          String route = c.draw("route", segmentRoutes());
          String segment = c.draw("segment", segments());
          String[] parts = route.split(" ", 3);
          String path = parts[1].replace("{}", segment);
          String body = parts.length > 2 ? parts[2] : null;
          String before = TenantRows.snapshot(TENANT);
          Reply reply =
              path.startsWith("/internal/")
                  ? internal(parts[0], path, body)
                  : api.send(parts[0], path, body);
          assertContract(reply, Set.of(200, 400, 404, 405, 409, 414));
          assertUnchangedAfter4xx(reply, before);
        });
  }

  // --- internal API ---------------------------------------------------------------------------

  @Test
  void internalResultBodies() {
    forEachCase(
        HostileTaxonomyIT.class,
        "internalResultBodies",
        40,
        c -> {
          String body = c.draw("body", resultBodyGen());
          String before = TenantRows.snapshot(TENANT);
          Reply reply =
              internal("PUT", "/internal/v1/taxonomy/runs/" + pendingRunId + "/result", body);
          assertContract(reply, Set.of(200, 400, 404, 409, 413));
          assertUnchangedAfter4xx(reply, before);
          if (reply.status() == 200) {
            newPendingRun();
          }
        });
  }

  @Test
  void internalFailedBodies() {
    forEachCase(
        HostileTaxonomyIT.class,
        "internalFailedBodies",
        50,
        c -> {
          String body = c.draw("body", failedBodyGen());
          String before = TenantRows.snapshot(TENANT);
          Reply reply =
              internal("POST", "/internal/v1/taxonomy/runs/" + pendingRunId + "/failed", body);
          assertContract(reply, Set.of(200, 400, 404, 409, 413));
          assertUnchangedAfter4xx(reply, before);
          if (reply.status() == 200) {
            assertThat(reply.json().path("status").asText()).isEqualTo("failed");
            newPendingRun();
          }
        });
  }

  @Test
  void bearerTokens() {
    forEachCase(
        HostileTaxonomyIT.class,
        "bearerTokens",
        80,
        c -> {
          String authorization = c.draw("authorization", authorizations());
          boolean internalRoute = c.draw("internal", Gen.booleans());
          String path =
              internalRoute
                  ? c.draw(
                      "path",
                      Gen.of(
                          "/internal/v1/taxonomy/auth-check",
                          "/internal/v1/taxonomy/runs/" + activeRunId + "/input"))
                  : "/v1/taxonomy/runs/" + activeRunId + "?tenant_id=" + enc(TENANT);
          Reply reply =
              authorization.isEmpty()
                  ? api.send("GET", path, null, "Accept", "application/json")
                  : api.send("GET", path, null, "Authorization", authorization);
          assertContract(reply, Set.of(200, 401));
          String exact = "Bearer " + (internalRoute ? INTERNAL_TOKEN : HubApp.API_KEY);
          String other = "Bearer " + (internalRoute ? HubApp.API_KEY : INTERNAL_TOKEN);
          if (authorization.equals(exact)) {
            assertThat(reply.status()).isEqualTo(200);
          }
          if (authorization.equals(other) || authorization.isEmpty()) {
            assertThat(reply.status()).as("the other API's token").isEqualTo(401);
          }
          if (reply.status() == 401) {
            assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
          }
        });
  }

  @Test
  void oversizedBodiesAre413() {
    String pad = ",\"pad\":\"" + "p".repeat(1024 * 1024) + "\"}";
    String rename =
        "{\"tenant_id\":" + Hostile.quote(TENANT) + ",\"actor_id\":\"a\",\"label\":\"x\"";
    List<String[]> cases =
        List.of(
            new String[] {
              "POST", "/v1/taxonomy/runs", "{\"tenant_id\":" + Hostile.quote(TENANT) + pad
            },
            new String[] {"PATCH", "/v1/taxonomy/nodes/" + leafNodeId, rename + pad},
            new String[] {
              "POST",
              "/internal/v1/taxonomy/runs/" + pendingRunId + "/failed",
              "{\"error\":\"e\"" + pad
            },
            new String[] {
              "PUT",
              "/internal/v1/taxonomy/runs/" + pendingRunId + "/result",
              "{\"clusters\":[],\"memberships\":[],\"nodes\":[],\"pad\":\""
                  + "p".repeat(16 * 1024 * 1024)
                  + "\"}"
            });
    for (String[] c : cases) {
      String before = TenantRows.snapshot(TENANT);
      Reply reply =
          c[1].startsWith("/internal/") ? internal(c[0], c[1], c[2]) : api.send(c[0], c[1], c[2]);
      assertContract(reply, Set.of(413));
      assertThat(TenantRows.snapshot(TENANT)).as(c[0] + " " + c[1]).isEqualTo(before);
    }
  }

  // --- round trips ----------------------------------------------------------------------------

  @Test
  void validHostileLabelsAndActorsRoundTripVerbatim() {
    forEachCase(
        HostileTaxonomyIT.class,
        "validHostileLabelsAndActorsRoundTripVerbatim",
        40,
        c -> {
          String label = c.draw("label", Hostile.validStrings(2048));
          String actor = c.draw("actor", Hostile.validStrings(255));
          Reply renamed =
              api.patch(
                  "/v1/taxonomy/nodes/" + leafNodeId,
                  "{\"tenant_id\":"
                      + Hostile.quote(TENANT)
                      + ",\"actor_id\":"
                      + Hostile.quote(actor)
                      + ",\"label\":"
                      + Hostile.quote(label)
                      + "}");
          assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
          assertThat(renamed.json().path("label").asText()).isEqualTo(label.strip());
          JsonNode tree =
              api.get("/v1/taxonomy/runs/" + activeRunId + "/tree?tenant_id=" + enc(TENANT)).json();
          assertThat(node(tree.path("root"), leafNodeId).path("label").asText())
              .isEqualTo(label.strip());
          assertThat(
                  Db.queryStrings(
                      "SELECT actor_id FROM taxonomy_node_events WHERE node_id = ?::uuid"
                          + " ORDER BY created_at DESC, id DESC LIMIT 1",
                      leafNodeId))
              .containsExactly(actor);
        });
  }

  @Test
  void validHostileScopesRoundTripVerbatim() {
    forEachCase(
        HostileTaxonomyIT.class,
        "validHostileScopesRoundTripVerbatim",
        15,
        c -> {
          String sourceType = c.draw("source_type", Hostile.validStrings(200));
          String sourceId = c.draw("source_id", Hostile.validStrings(200));
          String fieldId = c.draw("field_id", Hostile.validStrings(200)) + "|" + UUID.randomUUID();
          String fieldLabel = c.draw("field_label", Hostile.validStrings(2048));
          for (int i = 0; i < 3; i++) {
            EmbeddedRecords.insert(TENANT, sourceType, sourceId, fieldId, "text " + i, MODEL);
          }
          String runId = createRun(TENANT, sourceType, sourceId, fieldId, fieldLabel);
          JsonNode run = api.get("/v1/taxonomy/runs/" + runId + "?tenant_id=" + enc(TENANT)).json();
          assertThat(run.path("source_type").asText()).isEqualTo(sourceType);
          assertThat(run.path("source_id").asText()).isEqualTo(sourceId);
          assertThat(run.path("field_id").asText()).isEqualTo(fieldId);
          assertThat(run.path("field_label").asText()).isEqualTo(fieldLabel);
          JsonNode listed =
              api.get(
                      "/v1/taxonomy/runs?tenant_id="
                          + enc(TENANT)
                          + "&source_type="
                          + enc(sourceType)
                          + "&source_id="
                          + enc(sourceId)
                          + "&field_id="
                          + enc(fieldId))
                  .json();
          assertThat(listed.path("data")).hasSize(1);
          assertThat(listed.path("data").get(0).path("id").asText()).isEqualTo(runId);
        });
  }

  // --- generators -----------------------------------------------------------------------------

  static Gen<String> createRunBodyGen() {
    return bodies(
        Map.of(
            "tenant_id", Hostile.quote(TENANT),
            "source_type", "\"hostile\"",
            "source_id", "\"s1\"",
            "field_id", "\"q1\""),
        List.of(
            "tenant_id",
            "scope_type",
            "source_type",
            "source_id",
            "field_id",
            "field_label",
            "actor_id",
            "status",
            "unknown"));
  }

  static Gen<String> renameBodyGen() {
    return bodies(
        Map.of(
            "tenant_id", Hostile.quote(TENANT),
            "actor_id", "\"actor\"",
            "label", "\"renamed\""),
        List.of("tenant_id", "actor_id", "label", "node_type", "unknown"));
  }

  static Gen<String> failedBodyGen() {
    return bodies(
        Map.of("error", "\"compute failed\"", "error_code", "\"generation_failed\""),
        List.of("error", "error_code", "status", "unknown"));
  }

  /** A valid result over the pending run's records, with one to three parts made hostile. */
  static Gen<String> resultBodyGen() {
    Gen<String> part =
        Gen.of(
            "metrics",
            "clusters",
            "memberships",
            "nodes",
            "clusters[0].cluster_key",
            "clusters[0].size",
            "clusters[0].is_outlier",
            "clusters[0].label",
            "memberships[0].feedback_record_id",
            "memberships[0].cluster_key",
            "memberships[0].confidence",
            "nodes[0].node_key",
            "nodes[0].parent_key",
            "nodes[0].node_type",
            "nodes[0].label",
            "nodes[0].level",
            "nodes[1].parent_key",
            "nodes[1].cluster_key",
            "unknown");
    Gen<String> value = Gen.oneOf(Hostile.jsonValues(), Gen.just("<absent>"));
    Gen<UnaryOperator<String>> damage = Hostile.textDamage();
    return r -> {
      JsonNode base = readJson(result(pendingRecordIds));
      int n = 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) {
        mutate(base, part.next(r), value.next(r));
      }
      return damage.next(r).apply(base.toString());
    };
  }

  private static void mutate(JsonNode root, String path, String value) {
    String[] steps = path.split("\\.");
    JsonNode parent = root;
    for (int i = 0; i < steps.length - 1; i++) {
      String step = steps[i];
      String name = step.substring(0, step.indexOf('['));
      int index = Integer.parseInt(step.substring(step.indexOf('[') + 1, step.length() - 1));
      parent = parent.path(name).path(index);
    }
    if (!(parent instanceof com.fasterxml.jackson.databind.node.ObjectNode object)) {
      return;
    }
    String field = steps[steps.length - 1];
    if (value.equals("<absent>")) {
      object.remove(field);
    } else {
      JsonNode parsed = readJsonOrNull(value);
      if (parsed != null) {
        object.set(field, parsed);
      }
    }
  }

  static Gen<String> queryRoutes() {
    return r -> {
      List<String> routes =
          List.of(
              "GET /v1/taxonomy/fields",
              "GET /v1/taxonomy/runs",
              "GET /v1/taxonomy/runs/active/tree",
              "GET /v1/taxonomy/runs/" + activeRunId,
              "GET /v1/taxonomy/runs/" + activeRunId + "/tree",
              "GET /v1/taxonomy/runs/" + activeRunId + "/record-counts",
              "GET /v1/taxonomy/nodes/" + leafNodeId + "/records",
              "DELETE /v1/taxonomy/nodes/" + rootNodeId);
      return routes.get(r.nextInt(routes.size()));
    };
  }

  static Gen<String> queries() {
    Gen<String> name =
        Gen.oneOf(
            Gen.of(
                "tenant_id",
                "scope_type",
                "source_type",
                "source_id",
                "field_id",
                "limit",
                "actor_id",
                "cursor"),
            Gen.strings(0, 8));
    Gen<String> value =
        Gen.oneOf(
            Gen.of(
                "",
                "0",
                "-1",
                "1",
                "100",
                "101",
                "1.5",
                "abc",
                "field",
                "directory",
                "FIELD",
                "hostile",
                "s1",
                "q1",
                TENANT,
                "x".repeat(300),
                "e30"),
            Gen.of(Hostile.VALID_NASTY),
            Gen.of(Hostile.INVALID),
            Gen.strings(0, 20).filter(Hostile::encodable));
    Gen<String> pair = r -> enc(name.next(r)) + "=" + enc(value.next(r));
    Gen<List<String>> pairs = pair.list(0, 4);
    return r -> {
      List<String> drawn = new ArrayList<>(pairs.next(r));
      if (r.nextBoolean()) {
        drawn.add(0, "tenant_id=" + enc(TENANT));
      }
      return String.join("&", drawn);
    };
  }

  static Gen<String> segmentRoutes() {
    String tenant = enc(TENANT);
    String rename =
        "{\"tenant_id\":" + Hostile.quote(TENANT) + ",\"actor_id\":\"a\",\"label\":\"seg\"}";
    return Gen.of(
        "GET /v1/taxonomy/runs/{}?tenant_id=" + tenant,
        "GET /v1/taxonomy/runs/{}/tree?tenant_id=" + tenant,
        "GET /v1/taxonomy/runs/{}/record-counts?tenant_id=" + tenant,
        "PATCH /v1/taxonomy/nodes/{} " + rename,
        "DELETE /v1/taxonomy/nodes/{}?tenant_id=" + tenant + "&actor_id=a",
        "GET /v1/taxonomy/nodes/{}/records?tenant_id=" + tenant,
        "POST /v1/taxonomy/runs/{}",
        "GET /internal/v1/taxonomy/runs/{}/input",
        "PUT /internal/v1/taxonomy/runs/{}/result {\"clusters\":[],\"memberships\":[],\"nodes\":[]}",
        "POST /internal/v1/taxonomy/runs/{}/failed {\"error\":\"seg\"}",
        "POST /internal/v1/taxonomy/runs/{}/heartbeat",
        "DELETE /internal/v1/taxonomy/runs/{}/input");
  }

  static Gen<String> segments() {
    return Gen.oneOf(
        r -> List.of(activeRunId, leafNodeId, rootNodeId, pendingRunId).get(r.nextInt(4)),
        Gen.of(
            "00000000-0000-0000-0000-000000000000",
            "01a22452-6d65-7dfa-b1f6-3d2f12de839a",
            "01A22452-6D65-7DFA-B1F6-3D2F12DE839A",
            "active",
            "0",
            "-1",
            "%20",
            "..",
            "%2e%2e",
            "x".repeat(300),
            "%F0%9F%98%80",
            "a;b=c"),
        Gen.of(Hostile.VALID_NASTY).map(HostileCases::enc),
        Gen.of(Hostile.INVALID).filter(s -> !s.isEmpty()).map(HostileCases::enc),
        Gen.strings(1, 30).filter(Hostile::encodable).map(HostileCases::enc));
  }

  static Gen<String> authorizations() {
    return Gen.oneOf(
        Gen.of(
            "",
            "Bearer " + INTERNAL_TOKEN,
            "bearer " + INTERNAL_TOKEN,
            "Bearer " + INTERNAL_TOKEN + "x",
            "Bearer " + INTERNAL_TOKEN.toUpperCase(),
            "Bearer " + HubApp.API_KEY,
            "Bearer",
            "Bearer ",
            "Basic aW50ZXJuYWw6dG9rZW4=",
            "Bearer ' OR 1=1 --",
            "Bearer " + "k".repeat(4000)),
        Gen.strings(' ', '~', 1, 60).map(v -> "Bearer " + v.strip()));
  }

  /** A body from {@code base} with one to three fields made hostile or removed, then damaged. */
  private static Gen<String> bodies(Map<String, String> base, List<String> names) {
    Gen<Map<String, String>> mutated =
        Gen.maps(Gen.of(names), Gen.oneOf(Hostile.jsonValues(), Gen.just("<absent>")), 1, 3);
    Gen<UnaryOperator<String>> damage = Hostile.textDamage();
    return r -> {
      Map<String, String> fields = new LinkedHashMap<>(new java.util.TreeMap<>(base));
      mutated
          .next(r)
          .forEach(
              (k, v) -> {
                if (v.equals("<absent>")) {
                  fields.remove(k);
                } else {
                  fields.put(k, v);
                }
              });
      String json =
          fields.entrySet().stream()
              .map(e -> Hostile.quote(e.getKey()) + ":" + e.getValue())
              .collect(Collectors.joining(",", "{", "}"));
      return damage.next(r).apply(json);
    };
  }

  // --- fixtures -------------------------------------------------------------------------------

  private static void assertUnchangedAfter4xx(Reply reply, String before) {
    if (reply.status() >= 400) {
      assertThat(TenantRows.snapshot(TENANT))
          .as("rows after a %d", reply.status())
          .isEqualTo(before);
    }
  }

  /** {@code n} embedded text records in field {@code fieldId} of source hostile/s1. */
  private static List<String> embeddedField(String fieldId, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(EmbeddedRecords.insert(TENANT, "hostile", "s1", fieldId, "answer " + i, MODEL));
    }
    return ids;
  }

  /** A pending run in a fresh field scope, the target of the internal lifecycle calls. */
  private static void newPendingRun() {
    String field = "pending-" + UUID.randomUUID();
    pendingRecordIds = embeddedField(field, 3);
    pendingRunId = createRun(TENANT, "hostile", "s1", field, null);
  }

  private static String createRun(
      String tenant, String sourceType, String sourceId, String fieldId, String fieldLabel) {
    Reply created =
        api.post(
            "/v1/taxonomy/runs",
            "{\"tenant_id\":"
                + Hostile.quote(tenant)
                + ",\"source_type\":"
                + Hostile.quote(sourceType)
                + ",\"source_id\":"
                + Hostile.quote(sourceId)
                + ",\"field_id\":"
                + Hostile.quote(fieldId)
                + (fieldLabel == null ? "" : ",\"field_label\":" + Hostile.quote(fieldLabel))
                + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    return created.json().path("run").path("id").asText();
  }

  private static Reply internal(String method, String path, String json) {
    return api.send(method, path, json, "Authorization", "Bearer " + INTERNAL_TOKEN);
  }

  /** Two clusters over the first three records and the tree root -> {a (0), b (1)}. */
  private static String result(List<String> ids) {
    return """
        {"metrics":{"silhouette":0.5},
         "clusters":[{"cluster_key":0,"label":"A","size":2,"is_outlier":false},
                     {"cluster_key":1,"label":"B","size":1,"is_outlier":false}],
         "memberships":[{"cluster_key":0,"feedback_record_id":"%s","confidence":0.9},
                        {"cluster_key":0,"feedback_record_id":"%s","confidence":0.8},
                        {"cluster_key":1,"feedback_record_id":"%s","confidence":0.7}],
         "nodes":[{"node_key":"a","parent_key":"root","cluster_key":0,"node_type":"leaf",
                   "label":"A","level":1,"sort_order":0},
                  {"node_key":"b","parent_key":"root","cluster_key":1,"node_type":"leaf",
                   "label":"B","level":1,"sort_order":1},
                  {"node_key":"root","node_type":"root","label":"All","level":0,"sort_order":0}]}
        """
        .formatted(ids.get(0), ids.get(1), ids.get(2));
  }

  /** The node {@code id} in the tree under {@code node}, or a missing node. */
  private static JsonNode node(JsonNode node, String id) {
    if (node.path("id").asText().equals(id)) {
      return node;
    }
    for (JsonNode child : node.path("children")) {
      JsonNode found = node(child, id);
      if (!found.isMissingNode()) {
        return found;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static JsonNode readJson(String json) {
    JsonNode node = readJsonOrNull(json);
    if (node == null) {
      throw new IllegalStateException("not JSON: " + json);
    }
    return node;
  }

  private static JsonNode readJsonOrNull(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (Exception e) {
      return null;
    }
  }
}
