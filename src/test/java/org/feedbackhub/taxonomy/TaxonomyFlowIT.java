package org.feedbackhub.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.MODEL;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.SERVICE_TOKEN;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.child;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.createRunBody;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.embed;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.internal;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.records;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.result;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.taxonomy.TaxonomyFixtures.ComputeService;
import org.feedbackhub.taxonomy.TaxonomyFixtures.StartCall;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole taxonomy flow over real HTTP: this test plays the compute service (a JDK HttpServer on
 * 127.0.0.1 that receives the start call), then fetches the input and posts the result through the
 * internal API, and reads the trees, counts and records through the public API.
 */
class TaxonomyFlowIT {
  static final ComputeService COMPUTE = new ComputeService();

  static final HubApp APP =
      HubApp.builder()
          .set("taxonomy.serviceUrl", COMPUTE.url())
          .set("taxonomy.serviceToken", SERVICE_TOKEN)
          .set("taxonomy.internalApiToken", TaxonomyFixtures.INTERNAL_TOKEN)
          .set("taxonomy.embeddingModel", MODEL)
          .set("taxonomy.minEmbeddedRecords", "3")
          .set("taxonomy.pollInterval", "50ms")
          .set("taxonomy.startMaxAttempts", "2")
          .set("taxonomy.startRetryBackoffBase", "50ms")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @AfterAll
  static void stopCompute() {
    COMPUTE.close();
  }

  static Reply get(String path) {
    return Reply.of(APP.get(path));
  }

  /** The start call for {@code runId}, waiting for it. */
  static StartCall startCall(String runId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      StartCall call = COMPUTE.calls.poll(100, TimeUnit.MILLISECONDS);
      if (call != null && call.path().equals("/v1/runs/" + runId + "/start")) {
        return call;
      }
    }
    throw new AssertionError("no start call for run " + runId);
  }

  @Test
  void aRunGoesFromCreateThroughTheComputeServiceToAnEditableTree() throws Exception {
    String tenant = TenantIds.fresh("flow");
    String other = TenantIds.fresh("other");
    List<String> ids = records(tenant, "formbricks", "survey-1", "q1", 4);
    embed(ids.subList(0, 3));
    embed(records(other, "formbricks", "survey-1", "q1", 3));

    JsonNode fields = get("/v1/taxonomy/fields?tenant_id=" + tenant).json();
    assertThat(fields.path("data")).hasSize(1);
    JsonNode field = fields.path("data").get(0);
    assertThat(field.path("source_id").asText()).isEqualTo("survey-1");
    assertThat(field.path("field_label").asText()).isEqualTo("What could we improve?");
    assertThat(field.path("record_count").asLong()).isEqualTo(4);
    assertThat(field.path("embedding_count").asLong()).isEqualTo(3);

    Reply created =
        Reply.of(
            APP.post("/v1/taxonomy/runs", createRunBody(tenant, "formbricks", "survey-1", "q1")));
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    JsonNode run = created.json().path("run");
    String runId = run.path("id").asText();
    assertThat(created.json().path("in_progress").asBoolean()).isFalse();
    assertThat(run.path("status").asText()).isIn("pending", "running");
    assertThat(run.path("record_count").asInt()).isEqualTo(4);
    assertThat(run.path("embedding_count").asInt()).isEqualTo(3);
    assertThat(run.path("tenant_id").asText()).isEqualTo(tenant);
    assertThat(run.path("params").path("trigger").asText()).isEqualTo("manual");
    assertThat(run.path("params").path("embedding_model").asText()).isEqualTo(MODEL);
    assertThat(run.path("params").path("requested_by").asText()).isEqualTo("user-1");

    Reply again =
        Reply.of(
            APP.post("/v1/taxonomy/runs", createRunBody(tenant, "formbricks", "survey-1", "q1")));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("in_progress").asBoolean()).isTrue();
    assertThat(again.json().path("run").path("id").asText()).isEqualTo(runId);

    StartCall call = startCall(runId);
    assertThat(call.authorization()).isEqualTo("Bearer " + SERVICE_TOKEN);
    assertThat(call.requestId()).isEqualTo(created.header("X-Request-ID"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                get("/v1/taxonomy/runs/" + runId + "?tenant_id=" + tenant)
                    .json()
                    .path("status")
                    .asText()
                    .equals("running"));

    Reply input = internal(APP, "GET", "/internal/v1/taxonomy/runs/" + runId + "/input", null);
    assertThat(input.status()).isEqualTo(200);
    assertThat(input.json().path("run").path("id").asText()).isEqualTo(runId);
    assertThat(input.json().path("records")).hasSize(3);
    JsonNode first = input.json().path("records").get(0);
    assertThat(first.path("embedding")).hasSize(3);
    assertThat(first.path("value_text").asText()).startsWith("answer ");
    assertThat(ids.subList(0, 3)).contains(first.path("feedback_record_id").asText());

    Reply beat = internal(APP, "POST", "/internal/v1/taxonomy/runs/" + runId + "/heartbeat", "{}");
    assertThat(beat.status()).as(beat.body()).isEqualTo(200);
    assertThat(beat.json().path("status").asText()).isEqualTo("ok");

    Reply stored =
        internal(APP, "PUT", "/internal/v1/taxonomy/runs/" + runId + "/result", result(ids));
    assertThat(stored.status()).as(stored.body()).isEqualTo(200);
    assertThat(stored.json().path("status").asText()).isEqualTo("succeeded");
    assertThat(stored.json().path("cluster_count").asInt()).isEqualTo(2);
    assertThat(stored.json().path("node_count").asInt()).isEqualTo(3);
    assertThat(stored.json().path("metrics").path("silhouette").asDouble()).isEqualTo(0.5);

    String scope = "tenant_id=" + tenant + "&source_type=formbricks&source_id=survey-1&field_id=q1";
    Reply active = get("/v1/taxonomy/runs/active/tree?" + scope);
    assertThat(active.status()).as(active.body()).isEqualTo(200);
    assertThat(active.json().path("run").path("id").asText()).isEqualTo(runId);
    JsonNode root = active.json().path("root");
    assertThat(root.path("label").asText()).isEqualTo("All");
    assertThat(root.path("node_type").asText()).isEqualTo("root");
    assertThat(root.path("children")).hasSize(2);
    String pricing = child(root, "Pricing").path("id").asText();
    String bugs = child(root, "Bugs").path("id").asText();

    JsonNode counts =
        get("/v1/taxonomy/runs/" + runId + "/record-counts?tenant_id=" + tenant).json();
    assertThat(counts.path("counts")).hasSize(3);
    assertThat(countOf(counts, root.path("id").asText())).isEqualTo(3);
    assertThat(countOf(counts, pricing)).isEqualTo(2);
    assertThat(countOf(counts, bugs)).isEqualTo(1);

    JsonNode pricingRecords =
        get("/v1/taxonomy/nodes/" + pricing + "/records?tenant_id=" + tenant + "&limit=10").json();
    assertThat(pricingRecords.path("data")).hasSize(2);
    assertThat(pricingRecords.path("limit").asInt()).isEqualTo(10);
    assertThat(
            get("/v1/taxonomy/nodes/" + root.path("id").asText() + "/records?tenant_id=" + tenant)
                .json()
                .path("data"))
        .hasSize(3);

    Reply renamed =
        Reply.of(
            APP.patch(
                "/v1/taxonomy/nodes/" + pricing,
                "{\"tenant_id\":\"" + tenant + "\",\"actor_id\":\"user-1\",\"label\":\"Cost\"}"));
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    assertThat(renamed.json().path("label").asText()).isEqualTo("Cost");
    assertThat(renamed.json().path("original_label").asText()).isEqualTo("Pricing");

    Reply removed =
        Reply.of(
            APP.delete("/v1/taxonomy/nodes/" + bugs + "?tenant_id=" + tenant + "&actor_id=u2"));
    assertThat(removed.status()).as(removed.body()).isEqualTo(200);
    assertThat(removed.json().path("removed_by").asText()).isEqualTo("u2");
    assertThat(removed.json().has("removed_at")).isTrue();

    JsonNode tree = get("/v1/taxonomy/runs/" + runId + "/tree?tenant_id=" + tenant).json();
    assertThat(tree.path("root").path("children")).hasSize(1);
    assertThat(child(tree.path("root"), "Cost").path("id").asText()).isEqualTo(pricing);
    JsonNode after =
        get("/v1/taxonomy/runs/" + runId + "/record-counts?tenant_id=" + tenant).json();
    assertThat(countOf(after, root.path("id").asText())).isEqualTo(2);
    assertThat(
            Db.queryStrings(
                "SELECT event_type || ':' || actor_id || ':' || coalesce(old_value, '') || ':'"
                    + " || coalesce(new_value, '') FROM taxonomy_node_events WHERE tenant_id = ?"
                    + " ORDER BY created_at",
                tenant))
        .containsExactly("rename:user-1:Pricing:Cost", "soft_remove:u2::");

    assertThat(get("/v1/taxonomy/runs?tenant_id=" + tenant).json().path("data")).hasSize(1);
    assertThat(get("/v1/taxonomy/runs?tenant_id=" + tenant + "&source_id=").json().path("data"))
        .isEmpty();
    assertThat(
            get("/v1/taxonomy/runs?tenant_id=" + tenant + "&source_id=survey-1&field_id=q1")
                .json()
                .path("data"))
        .hasSize(1);
    assertThat(
            get("/v1/taxonomy/runs?tenant_id=" + tenant + "&scope_type=directory")
                .json()
                .path("data"))
        .isEmpty();

    // Transitions out of a finished run are terminal conflicts.
    Reply failed =
        internal(
            APP, "POST", "/internal/v1/taxonomy/runs/" + runId + "/failed", "{\"error\":\"late\"}");
    assertThat(failed.status()).isEqualTo(409);
    assertThat(failed.json().path("code").asText()).isEqualTo("conflict");
    assertThat(failed.json().path("detail").asText())
        .isEqualTo("taxonomy run is succeeded; cannot transition to failed");
    assertThat(
            internal(APP, "PUT", "/internal/v1/taxonomy/runs/" + runId + "/result", result(ids))
                .status())
        .isEqualTo(409);

    // Another tenant sees none of it.
    assertNotFound(get("/v1/taxonomy/runs/" + runId + "?tenant_id=" + other), "taxonomy run");
    assertNotFound(get("/v1/taxonomy/runs/" + runId + "/tree?tenant_id=" + other), "taxonomy run");
    assertNotFound(
        get("/v1/taxonomy/runs/" + runId + "/record-counts?tenant_id=" + other), "taxonomy run");
    assertNotFound(
        get(
            "/v1/taxonomy/runs/active/tree?tenant_id="
                + other
                + "&source_type=formbricks&source_id=survey-1&field_id=q1"),
        "taxonomy run");
    assertNotFound(
        Reply.of(
            APP.patch(
                "/v1/taxonomy/nodes/" + pricing,
                "{\"tenant_id\":\"" + other + "\",\"actor_id\":\"x\",\"label\":\"Stolen\"}")),
        "taxonomy node");
    assertNotFound(
        Reply.of(
            APP.delete("/v1/taxonomy/nodes/" + pricing + "?tenant_id=" + other + "&actor_id=x")),
        "taxonomy node");
    assertThat(
            get("/v1/taxonomy/nodes/" + pricing + "/records?tenant_id=" + other)
                .json()
                .path("data"))
        .isEmpty();
    assertThat(get("/v1/taxonomy/runs?tenant_id=" + other).json().path("data")).isEmpty();
    JsonNode otherFields = get("/v1/taxonomy/fields?tenant_id=" + other).json().path("data");
    assertThat(otherFields).hasSize(1);
    assertThat(otherFields.get(0).path("tenant_id").asText()).isEqualTo(other);
    assertThat(otherFields.get(0).path("record_count").asLong()).isEqualTo(3);
    assertThat(
            Db.queryStrings("SELECT label FROM taxonomy_nodes WHERE id = CAST(? AS uuid)", pricing))
        .containsExactly("Cost");
  }

  @Test
  void aStartCallThatKeepsFailingFailsTheRunAsServiceUnavailable() throws Exception {
    String tenant = TenantIds.fresh("failing");
    embed(records(tenant, "formbricks", "", "q9", 3));
    Reply created =
        Reply.of(APP.post("/v1/taxonomy/runs", createRunBody(tenant, "formbricks", "", "q9")));
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String runId = created.json().path("run").path("id").asText();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                get("/v1/taxonomy/runs/" + runId + "?tenant_id=" + tenant)
                    .json()
                    .path("status")
                    .asText()
                    .equals("failed"));
    JsonNode run = get("/v1/taxonomy/runs/" + runId + "?tenant_id=" + tenant).json();
    assertThat(run.path("error_code").asText()).isEqualTo("service_unavailable");
    assertThat(run.path("source_id").asText()).isEmpty();
    assertThat(
            Db.queryLong(
                "SELECT count(*) FROM outbox_messages WHERE topic = 'taxonomy_start'"
                    + " AND tenant_id = ?",
                tenant))
        .isZero();
  }

  @Test
  void concurrentCreatesOfOneScopeMakeOneRun() throws Exception {
    String tenant = TenantIds.fresh("scope");
    embed(records(tenant, "formbricks", "s", "q2", 3));
    String body = createRunBody(tenant, "formbricks", "s", "q2");
    List<java.util.concurrent.CompletableFuture<Reply>> replies = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      replies.add(
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> Reply.of(APP.post("/v1/taxonomy/runs", body))));
    }
    List<Reply> done = replies.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    assertThat(done).extracting(Reply::status).containsOnly(200, 202);
    assertThat(done.stream().filter(r -> r.status() == 202)).hasSize(1);
    assertThat(done.stream().map(r -> r.json().path("run").path("id").asText()).distinct())
        .hasSize(1);
    assertThat(Db.queryLong("SELECT count(*) FROM taxonomy_runs WHERE tenant_id = ?", tenant))
        .isEqualTo(1);
  }

  @Test
  void everyPublicParameterIsValidated() {
    String tenant = TenantIds.fresh("validation");
    assertInvalid(
        Reply.of(APP.post("/v1/taxonomy/runs", "{}")),
        "tenant_id",
        "is required",
        "source_type",
        "is required",
        "field_id",
        "is required");
    assertInvalid(
        Reply.of(
            APP.post(
                "/v1/taxonomy/runs",
                "{\"tenant_id\":\"t\",\"scope_type\":\"directory\",\"field_id\":\"q\"}")),
        "field_id",
        "must be omitted for directory scope");
    assertInvalid(
        Reply.of(
            APP.post(
                "/v1/taxonomy/runs",
                "{\"tenant_id\":\"t\",\"scope_type\":\"bogus\",\"source_type\":\"s\","
                    + "\"field_id\":\"q\"}")),
        "scope_type",
        "must be one of: field, directory");
    assertInvalid(
        Reply.of(APP.post("/v1/taxonomy/runs", "{\"tenant_id\":\"t\",\"nope\":1}")),
        "nope",
        "is not a recognized request field");
    assertInvalid(
        Reply.of(APP.post("/v1/taxonomy/runs", createRunBody(tenant, "formbricks", "x", "q"))),
        "field_id",
        "no text feedback records found for this field scope");
    embed(records(tenant, "formbricks", "x", "q", 2));
    assertInvalid(
        Reply.of(APP.post("/v1/taxonomy/runs", createRunBody(tenant, "formbricks", "x", "q"))),
        "field_id",
        "at least 3 embedded text feedback records are required; found 2");

    assertInvalid(get("/v1/taxonomy/runs"), "tenant_id", "is required");
    assertInvalid(get("/v1/taxonomy/fields"), "tenant_id", "is required");
    assertInvalid(get("/v1/taxonomy/runs?tenant_id=t&limit=0"), "limit", "must be at least 1");
    assertInvalid(get("/v1/taxonomy/runs?tenant_id=t&limit=101"), "limit", "must be at most 100");
    assertInvalid(
        get("/v1/taxonomy/runs?tenant_id=t&scope_type=x"),
        "scope_type",
        "must be one of: field, directory");
    assertInvalid(get("/v1/taxonomy/runs/nope?tenant_id=t"), "run_id", "must be a valid UUID");
    assertInvalid(
        get("/v1/taxonomy/runs/" + java.util.UUID.randomUUID() + "/tree"),
        "tenant_id",
        "is required");
    assertInvalid(
        get("/v1/taxonomy/runs/active/tree?tenant_id=t"),
        "source_type",
        "is required",
        "field_id",
        "is required");
    assertNotFound(
        get("/v1/taxonomy/runs/active/tree?tenant_id=t&scope_type=directory"), "taxonomy run");
    String node = "/v1/taxonomy/nodes/" + java.util.UUID.randomUUID();
    assertInvalid(
        Reply.of(APP.patch(node, "{\"tenant_id\":\"t\"}")),
        "actor_id",
        "is required",
        "label",
        "is required");
    assertInvalid(
        Reply.of(APP.patch(node, "{\"tenant_id\":\"t\",\"actor_id\":\"a\",\"label\":\"\"}")),
        "label",
        "must be at least 1");
    assertInvalid(Reply.of(APP.delete(node + "?tenant_id=t")), "actor_id", "is required");
    assertInvalid(get(node + "/records?tenant_id=t&limit=101"), "limit", "must be at most 100");
    assertNotFound(
        Reply.of(APP.patch(node, "{\"tenant_id\":\"t\",\"actor_id\":\"a\",\"label\":\"L\"}")),
        "taxonomy node");
  }

  @Test
  void aDirectoryRunCoversEveryTextFieldOfTheTenant() {
    String tenant = TenantIds.fresh("directory");
    embed(records(tenant, "formbricks", "a", "q1", 2));
    embed(records(tenant, "typeform", null, "q2", 1));
    Reply created =
        Reply.of(
            APP.post(
                "/v1/taxonomy/runs",
                "{\"tenant_id\":\"" + tenant + "\",\"scope_type\":\"directory\"}"));
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    JsonNode run = created.json().path("run");
    assertThat(run.path("scope_type").asText()).isEqualTo("directory");
    assertThat(run.path("source_type").asText()).isEmpty();
    assertThat(run.path("embedding_count").asInt()).isEqualTo(3);
    Reply input =
        internal(
            APP, "GET", "/internal/v1/taxonomy/runs/" + run.path("id").asText() + "/input", null);
    assertThat(input.json().path("records")).hasSize(3);
  }

  @Test
  void theInternalApiNeedsItsOwnTokenAndChecksWhatTheServiceSends() throws Exception {
    assertThat(internal(APP, "GET", "/internal/v1/taxonomy/auth-check", null).json())
        .isEqualTo(
            TaxonomyFixtures.JSON
                .createObjectNode()
                .put("status", "ok")
                .put("service", "hub-taxonomy-internal"));
    Reply wrong = internal(APP, "GET", "/internal/v1/taxonomy/auth-check", null, HubApp.API_KEY);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().path("detail").asText()).isEqualTo("Invalid API key");
    Reply missing =
        Reply.of(
            APP.client()
                .target(APP.baseUrl() + "/internal/v1/taxonomy/auth-check")
                .request()
                .get());
    assertThat(missing.status()).isEqualTo(401);
    // The internal token opens nothing under /v1.
    Reply crossed =
        Reply.of(
            APP.client()
                .target(APP.baseUrl() + "/v1/taxonomy/fields?tenant_id=t")
                .request()
                .header("Authorization", "Bearer " + TaxonomyFixtures.INTERNAL_TOKEN)
                .get());
    assertThat(crossed.status()).isEqualTo(401);

    String unknown = "/internal/v1/taxonomy/runs/" + java.util.UUID.randomUUID();
    assertNotFound(internal(APP, "GET", unknown + "/input", null), "taxonomy run");
    assertNotFound(internal(APP, "POST", unknown + "/heartbeat", "{}"), "taxonomy run");

    String tenant = TenantIds.fresh("internal");
    String other = TenantIds.fresh("stranger");
    List<String> ids = records(tenant, "formbricks", "s", "q1", 3);
    embed(ids);
    List<String> strangers = records(other, "formbricks", "s", "q1", 3);
    Reply created =
        Reply.of(APP.post("/v1/taxonomy/runs", createRunBody(tenant, "formbricks", "s", "q1")));
    String base = "/internal/v1/taxonomy/runs/" + created.json().path("run").path("id").asText();

    assertInvalid(
        internal(APP, "POST", base + "/failed", "{\"error\":\"x\",\"error_code\":\"nope\"}"),
        "error_code",
        "must be one of: insufficient_data, service_unavailable, generation_failed,"
            + " invalid_output, internal_error");
    assertInvalid(
        internal(APP, "POST", base + "/failed", "{\"error\":\"" + "e".repeat(2001) + "\"}"),
        "error",
        "must be at most 2000");
    assertInvalid(internal(APP, "POST", base + "/failed", "{}"), "error", "is required");
    String twoRoots =
        "{\"clusters\":[],\"memberships\":[],\"nodes\":["
            + "{\"node_key\":\"a\",\"node_type\":\"root\",\"label\":\"A\",\"level\":0},"
            + "{\"node_key\":\"b\",\"node_type\":\"root\",\"label\":\"B\",\"level\":0}]}";
    assertInvalid(
        internal(APP, "PUT", base + "/result", twoRoots), "nodes", "must contain exactly one root");
    List<String> mixed = List.of(ids.get(0), ids.get(1), strangers.get(0));
    assertInvalid(
        internal(APP, "PUT", base + "/result", result(mixed)),
        "memberships[2].feedback_record_id",
        "must be a feedback record of the run's tenant");
    assertThat(
            Db.queryLong(
                "SELECT count(*) FROM taxonomy_clusters c JOIN taxonomy_runs r"
                    + " ON r.id = c.run_id WHERE r.tenant_id = ?",
                tenant))
        .isZero();

    // Just over the cap: the server drains a modestly oversized body and answers 413.
    String huge = "{\"metrics\":{\"pad\":\"" + "x".repeat(16 * 1024 * 1024) + "\"}}";
    Reply tooLarge = internal(APP, "PUT", base + "/result", huge);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.json().path("code").asText()).isEqualTo("content_too_large");

    Reply failed =
        internal(
            APP,
            "POST",
            base + "/failed",
            "{\"error\":\"model crashed\",\"error_code\":\"generation_failed\"}");
    assertThat(failed.status()).as(failed.body()).isEqualTo(200);
    assertThat(failed.json().path("status").asText()).isEqualTo("failed");
    assertThat(failed.json().path("error").asText()).isEqualTo("model crashed");
    assertThat(failed.json().path("error_code").asText()).isEqualTo("generation_failed");
    assertThat(internal(APP, "POST", base + "/heartbeat", "{}").status()).isEqualTo(409);
  }

  static void assertInvalid(Reply reply, String... nameReasonPairs) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.json().path("code").asText()).isEqualTo("validation");
    List<String> found = new java.util.ArrayList<>();
    for (JsonNode p : reply.json().path("invalid_params")) {
      found.add(p.path("name").asText() + "=" + p.path("reason").asText());
    }
    for (int i = 0; i < nameReasonPairs.length; i += 2) {
      assertThat(found).contains(nameReasonPairs[i] + "=" + nameReasonPairs[i + 1]);
    }
  }

  static long countOf(JsonNode counts, String nodeId) {
    for (JsonNode c : counts.path("counts")) {
      if (c.path("node_id").asText().equals(nodeId)) {
        return c.path("record_count").asLong();
      }
    }
    throw new AssertionError("no count for " + nodeId);
  }

  static void assertNotFound(Reply reply, String resource) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(404);
    assertThat(reply.json().path("code").asText()).isEqualTo("not_found");
    assertThat(reply.json().path("details").path("resource_type").asText()).isEqualTo(resource);
  }
}
