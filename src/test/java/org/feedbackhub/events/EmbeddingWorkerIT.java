package org.feedbackhub.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.feedbackhub.testing.WebhookFixtures.json;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.FakeOpenAiEmbeddings;
import org.feedbackhub.testing.FakeOpenAiEmbeddings.Reply;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestTags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The embedding worker against a real OpenAI-compatible server on 127.0.0.1: the protocol,
 * batching, rate limits and failures, and its purge rules, with the purge played by a raw
 * connection holding the tenant's lock.
 */
@Tag(TestTags.CONCURRENCY)
class EmbeddingWorkerIT {
  static final String MODEL = "fake-embed-1";
  static final FakeOpenAiEmbeddings PROVIDER = new FakeOpenAiEmbeddings();

  static final HubApp APP =
      HubApp.builder()
          .set("webhooks.dispatcherEnabled", "false")
          .set("embeddings.provider", "openai")
          .set("embeddings.model", MODEL)
          .set("embeddings.apiKey", "sk-test")
          .set("embeddings.baseUrl", PROVIDER.baseUrl())
          .set("embeddings.maxConcurrent", "1")
          .set("embeddings.maxAttempts", "3")
          .set("embeddings.pollInterval", "50ms")
          .set("embeddings.retryBackoffBase", "100ms")
          .set("embeddings.httpTimeoutSeconds", "10")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @AfterEach
  void defaultReplies() {
    PROVIDER.respondWith(call -> null);
  }

  @AfterAll
  static void stopProvider() {
    PROVIDER.close();
  }

  static MetricRegistry metrics() {
    return EXT.getEnvironment().metrics();
  }

  static long counter(String name) {
    return metrics().counter(name).getCount();
  }

  static String createText(String tenant, String text) {
    Response response =
        APP.post(
            "/v1/feedback-records",
            "{\"source_type\":\"survey\",\"field_id\":\"q1\",\"field_type\":\"text\","
                + "\"field_label\":\"What could be better?\",\"submission_id\":\""
                + UUID.randomUUID()
                + "\",\"tenant_id\":\""
                + tenant
                + "\",\"value_text\":\""
                + text
                + "\"}");
    assertThat(response.getStatus()).isEqualTo(201);
    return json(response).path("id").asText();
  }

  static long embeddings(String recordId) {
    return Db.queryLong(
        "SELECT count(*) FROM embeddings WHERE feedback_record_id = ?::uuid AND model = ?",
        recordId,
        MODEL);
  }

  static long jobs(String tenant) {
    return Db.queryLong(
        "SELECT count(*) FROM outbox_messages WHERE topic = 'embedding' AND tenant_id = ?", tenant);
  }

  static void awaitEmbedded(String recordId) {
    await().atMost(Duration.ofSeconds(20)).until(() -> embeddings(recordId) == 1);
  }

  @Test
  void speaksTheOpenAiProtocolAndStoresTheVectorsItReturns() {
    String tenant = TenantIds.fresh();
    String id = createText(tenant, "the checkout page is slow");
    awaitEmbedded(id);
    FakeOpenAiEmbeddings.Call call =
        PROVIDER.calls().stream()
            .filter(c -> c.inputs().contains("the checkout page is slow"))
            .findFirst()
            .orElseThrow();
    assertThat(call.authorization()).isEqualTo("Bearer sk-test");
    assertThat(call.model()).isEqualTo(MODEL);
    float[] expected = FakeOpenAiEmbeddings.vector("the checkout page is slow");
    assertThat(
            Db.queryStrings(
                "SELECT embedding::text FROM embeddings WHERE feedback_record_id = ?::uuid", id))
        .containsExactly(org.feedbackhub.db.Vectors.toArrayLiteral(expected).replace(".0", ""));
    assertThat(jobs(tenant)).isZero();
  }

  @Test
  void claimsSeveralJobsIntoOneProviderCall() throws Exception {
    String tenant = TenantIds.fresh();
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    PROVIDER.respondWith(
        call -> {
          if (call.inputs().contains("blocker")) {
            blocked.countDown();
            release.await(20, TimeUnit.SECONDS);
          }
          return null;
        });
    String blocker = createText(tenant, "blocker");
    assertThat(blocked.await(20, TimeUnit.SECONDS)).isTrue();
    // The single worker slot is busy: these three wait in the outbox and go out together.
    String a = createText(tenant, "first of three");
    String b = createText(tenant, "second of three");
    String c = createText(tenant, "third of three");
    release.countDown();
    for (String id : new String[] {blocker, a, b, c}) {
      awaitEmbedded(id);
    }
    assertThat(PROVIDER.calls())
        .anySatisfy(
            call ->
                assertThat(call.inputs())
                    .containsExactlyInAnyOrder(
                        "first of three", "second of three", "third of three"));
  }

  @Test
  void aRateLimitRetriesWithoutConsumingAnAttempt() {
    String tenant = TenantIds.fresh();
    AtomicInteger limited = new AtomicInteger();
    // More 429s than EMBEDDING_MAX_ATTEMPTS: the job must still succeed.
    PROVIDER.respondWith(
        call ->
            call.inputs().contains("rate limited text") && limited.incrementAndGet() <= 5
                ? new Reply(429, "0", null)
                : null);
    long retries = counter("hub_embedding_outcomes_total.retry");
    String id = createText(tenant, "rate limited text");
    awaitEmbedded(id);
    assertThat(limited.get()).isGreaterThan(3);
    assertThat(counter("hub_embedding_outcomes_total.retry") - retries).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aFailingProviderRetriesWithBackoffThenParksTheJobAndTheApiStaysUp() {
    String tenant = TenantIds.fresh();
    PROVIDER.respondWith(call -> call.inputs().contains("always fails") ? Reply.status(500) : null);
    long finals = counter("hub_embedding_outcomes_total.failed_final");
    long providerErrors = counter("hub_embedding_provider_errors_total");
    String id = createText(tenant, "always fails");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Db.queryLong(
                        "SELECT count(*) FROM outbox_messages WHERE tenant_id = ? AND topic ="
                            + " 'embedding' AND available_at = 'infinity' AND attempts = 3",
                        tenant)
                    == 1);
    assertThat(PROVIDER.calls().stream().filter(c -> c.inputs().contains("always fails")))
        .hasSize(3);
    assertThat(counter("hub_embedding_outcomes_total.failed_final") - finals).isEqualTo(1);
    assertThat(counter("hub_embedding_provider_errors_total") - providerErrors).isEqualTo(3);
    assertThat(embeddings(id)).isZero();
    assertThat(APP.get("/v1/feedback-records/" + id).getStatus()).isEqualTo(200);
  }

  @Test
  void searchAnswers503WhileTheProviderIsDownButSimilarNeedsNoProvider() {
    String tenant = TenantIds.fresh();
    String id = createText(tenant, "stored before the outage");
    awaitEmbedded(id);
    PROVIDER.respondWith(call -> Reply.status(500));
    Response search =
        APP.post(
            "/v1/feedback-records/search/semantic",
            "{\"query\":\"anything\",\"tenant_id\":\"" + tenant + "\"}");
    assertThat(search.getStatus()).isEqualTo(503);
    assertThat(json(search).path("code").asText()).isEqualTo("service_unavailable");
    assertThat(APP.get("/v1/feedback-records/" + id + "/similar").getStatus()).isEqualTo(200);
  }

  @Test
  void vectorsOfTheWrongDimensionAreRefusedAndNeverStored() {
    String tenant = TenantIds.fresh();
    awaitEmbedded(createText(tenant, "sets the dimension"));
    PROVIDER.respondWith(
        call ->
            call.inputs().contains("three dimensions")
                ? Reply.ok(call.inputs().stream().map(t -> new float[] {1, 2, 3}).toList())
                : null);
    long mismatches = counter("hub_embedding_worker_errors_total.dimension_mismatch");
    String id = createText(tenant, "three dimensions");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> counter("hub_embedding_worker_errors_total.dimension_mismatch") > mismatches);
    assertThat(embeddings(id)).isZero();
    assertThat(
            Db.queryLong(
                "SELECT count(*) FROM embeddings WHERE model = ? AND cardinality(embedding) <> ?",
                MODEL,
                FakeOpenAiEmbeddings.DIMENSION))
        .isZero();
  }

  @Test
  void aWriteRefusedByAPurgeIsRetriedAndLandsOnceThePurgeIsGone() throws Exception {
    String tenant = TenantIds.fresh();
    CountDownLatch called = new CountDownLatch(1);
    CountDownLatch locked = new CountDownLatch(1);
    PROVIDER.respondWith(
        call -> {
          if (call.inputs().contains("deferred by a purge") && called.getCount() > 0) {
            called.countDown();
            locked.await(20, TimeUnit.SECONDS);
          }
          return null;
        });
    long conflicts = counter("hub_embedding_worker_errors_total.tenant_write_conflict");
    long retries = counter("hub_embedding_outcomes_total.retry");
    String id = createText(tenant, "deferred by a purge");
    assertThat(called.await(20, TimeUnit.SECONDS)).isTrue();
    try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
      locked.countDown();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> counter("hub_embedding_worker_errors_total.tenant_write_conflict") > conflicts);
      // The worker counts the conflict before the retry: wait for the second as well.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> counter("hub_embedding_outcomes_total.retry") > retries);
      assertThat(embeddings(id)).isZero();
    }
    awaitEmbedded(id);
    assertThat(jobs(tenant)).isZero();
  }

  @Test
  void aRecordDeletedWhileItsVectorIsComputedCompletesTheJobAsSkipped() throws Exception {
    String tenant = TenantIds.fresh();
    CountDownLatch called = new CountDownLatch(1);
    CountDownLatch deleted = new CountDownLatch(1);
    PROVIDER.respondWith(
        call -> {
          if (call.inputs().contains("deleted meanwhile")) {
            called.countDown();
            deleted.await(20, TimeUnit.SECONDS);
          }
          return null;
        });
    long skipped = counter("hub_embedding_outcomes_total.skipped");
    String id = createText(tenant, "deleted meanwhile");
    assertThat(called.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(APP.delete("/v1/feedback-records/" + id).getStatus()).isEqualTo(204);
    deleted.countDown();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> counter("hub_embedding_outcomes_total.skipped") > skipped);
    assertThat(jobs(tenant)).isZero();
    assertThat(embeddings(id)).isZero();
  }

  @Test
  void aCreateRefusedByAPurgeLeavesNoJob() throws Exception {
    String tenant = TenantIds.fresh();
    try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
      Response refused =
          APP.post(
              "/v1/feedback-records",
              "{\"source_type\":\"survey\",\"field_id\":\"q1\",\"field_type\":\"text\","
                  + "\"submission_id\":\"s1\",\"tenant_id\":\""
                  + tenant
                  + "\",\"value_text\":\"refused\"}");
      assertThat(refused.getStatus()).isEqualTo(409);
      assertThat(json(refused).path("code").asText()).isEqualTo("tenant_write_conflict");
    }
    assertThat(jobs(tenant)).isZero();
    assertThat(Db.queryLong("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", tenant))
        .isZero();
  }

  @Test
  void textWritesEnqueueOneJobInTheirOwnStatementAndOtherWritesNone() {
    String tenant = TenantIds.fresh();
    String id = createText(tenant, "first words");
    awaitEmbedded(id);
    String before =
        Db.queryStrings(
                "SELECT embedding::text FROM embeddings WHERE feedback_record_id = ?::uuid", id)
            .get(0);
    // Not the text: no job.
    assertThat(APP.patch("/v1/feedback-records/" + id, "{\"language\":\"en\"}").getStatus())
        .isEqualTo(200);
    assertThat(jobs(tenant)).isZero();
    assertThat(
            APP.patch("/v1/feedback-records/" + id, "{\"value_text\":\"other words entirely\"}")
                .getStatus())
        .isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                !Db.queryStrings(
                        "SELECT embedding::text FROM embeddings WHERE feedback_record_id = ?::uuid",
                        id)
                    .get(0)
                    .equals(before));
    // An empty text clears the vector.
    assertThat(APP.patch("/v1/feedback-records/" + id, "{\"value_text\":\"\"}").getStatus())
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> embeddings(id) == 0);
    Response number =
        APP.post(
            "/v1/feedback-records",
            "{\"source_type\":\"survey\",\"field_id\":\"q2\",\"field_type\":\"number\","
                + "\"submission_id\":\"s2\",\"tenant_id\":\""
                + tenant
                + "\",\"value_number\":3,\"value_text\":\"not a text field\"}");
    assertThat(number.getStatus()).isEqualTo(201);
    assertThat(jobs(tenant)).isZero();
  }

  @Test
  void thePurgeDeletesTheTenantsEmbeddingsWithAnExactCount() {
    String tenant = TenantIds.fresh();
    String other = TenantIds.fresh();
    String a = createText(tenant, "purged one");
    String b = createText(tenant, "purged two");
    String kept = createText(other, "kept");
    awaitEmbedded(a);
    awaitEmbedded(b);
    awaitEmbedded(kept);
    JsonNode purged = json(APP.delete("/v1/tenants/" + tenant + "/data"));
    assertThat(purged.path("deleted_embeddings").asLong()).isEqualTo(2);
    assertThat(purged.path("deleted_feedback_records").asLong()).isEqualTo(2);
    assertThat(embeddings(kept)).isEqualTo(1);
  }

  @Test
  void aPurgeOutlastingEveryAttemptParksTheJobAsFailedFinal() throws Exception {
    String tenant = TenantIds.fresh();
    CountDownLatch called = new CountDownLatch(1);
    CountDownLatch locked = new CountDownLatch(1);
    PROVIDER.respondWith(
        call -> {
          if (call.inputs().contains("outlasted by a purge") && called.getCount() > 0) {
            called.countDown();
            locked.await(20, TimeUnit.SECONDS);
          }
          return null;
        });
    long conflicts = counter("hub_embedding_worker_errors_total.tenant_write_conflict");
    long finals = counter("hub_embedding_outcomes_total.failed_final");
    String id = createText(tenant, "outlasted by a purge");
    assertThat(called.await(20, TimeUnit.SECONDS)).isTrue();
    try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
      locked.countDown();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  Db.queryLong(
                          "SELECT count(*) FROM outbox_messages WHERE tenant_id = ? AND topic ="
                              + " 'embedding' AND available_at = 'infinity' AND attempts = 3",
                          tenant)
                      == 1);
      assertThat(counter("hub_embedding_worker_errors_total.tenant_write_conflict") - conflicts)
          .isEqualTo(3);
      assertThat(counter("hub_embedding_outcomes_total.failed_final") - finals).isEqualTo(1);

      // The backfill task is a tenant write too: refused while the purge holds the tenant.
      jakarta.ws.rs.core.Response refused =
          EXT.client()
              .target(APP.adminUrl() + "/tasks/backfill-embeddings?tenant_id=" + tenant)
              .request()
              .header("X-Requested-By", "feedback-hub-test")
              .post(jakarta.ws.rs.client.Entity.text(""));
      assertThat(refused.getStatus()).isEqualTo(409);
      assertThat(refused.getHeaderString("Content-Type")).startsWith("application/problem+json");
      assertThat(refused.getHeaderString("Retry-After")).isEqualTo("1");
      assertThat(refused.readEntity(String.class))
          .contains("\"code\":\"tenant_write_conflict\"")
          .contains("tenant data purge in progress");
    }
    assertThat(embeddings(id)).isZero();
    // A parked job does not stop the backfill from queueing a fresh one.
    String queued =
        EXT.client()
            .target(APP.adminUrl() + "/tasks/backfill-embeddings?tenant_id=" + tenant)
            .request()
            .header("X-Requested-By", "feedback-hub-test")
            .post(jakarta.ws.rs.client.Entity.text(""))
            .readEntity(String.class);
    assertThat(queued).contains("\"enqueued\":1");
    awaitEmbedded(id);
  }
}
