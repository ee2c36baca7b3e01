package org.feedbackhub.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.MODEL;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.child;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.createRunBody;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.embed;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.internal;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.records;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.result;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.feedbackhub.api.ProblemCode;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.core.TaxonomyRunLifecycle;
import org.feedbackhub.events.TaxonomyReaper;
import org.feedbackhub.tenant.TenantConflictMetrics;
import org.feedbackhub.tenant.TenantWriteConflictException;
import org.feedbackhub.tenant.TenantWriteLock;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Taxonomy writes against a purge in progress (played by this test holding the tenant's lock
 * exclusively on a raw connection), run-state conflicts, the reaper racing a purge, and the purge's
 * counts over a full taxonomy graph. The start worker is off, so runs stay pending.
 */
@Tag("concurrency")
class TaxonomyLockIT {
  static final HubApp APP =
      HubApp.builder()
          .set("taxonomy.serviceUrl", "http://127.0.0.1:9")
          .set("taxonomy.internalApiToken", TaxonomyFixtures.INTERNAL_TOKEN)
          .set("taxonomy.embeddingModel", MODEL)
          .set("taxonomy.minEmbeddedRecords", "2")
          .set("taxonomy.workerEnabled", "false")
          // The tests drive their own reaper; the app's must not fail their stale runs meanwhile.
          .set("taxonomy.reaperIntervalSeconds", "3600")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static final TenantWriteLock LOCK =
      new TenantWriteLock(new TenantConflictMetrics(new MetricRegistry()), new MetricRegistry());

  static Jdbi jdbi() {
    return Jdbi.create(TestDatabase.get().dataSource());
  }

  static String createRun(String tenant, String fieldId) {
    Reply created =
        Reply.of(APP.post("/v1/taxonomy/runs", createRunBody(tenant, "formbricks", "s", fieldId)));
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    return created.json().path("run").path("id").asText();
  }

  static String status(String runId) {
    return Db.queryStrings(
            "SELECT status::text FROM taxonomy_runs WHERE id = CAST(? AS uuid)", runId)
        .get(0);
  }

  static void assertRetryableConflict(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(409);
    assertThat(reply.header("x-should-retry")).isEqualTo("true");
    JsonNode problem = reply.json();
    assertThat(problem.path("code").asText()).isEqualTo("tenant_write_conflict");
    assertThat(problem.path("type").asText())
        .isEqualTo("https://hub.formbricks.com/problems/tenant-write-conflict");
    assertThat(problem.path("detail").asText())
        .isEqualTo(TenantWriteConflictException.WRITER_REFUSED);
  }

  @Test
  void everyTaxonomyWriteIsRefusedWhileTheTenantIsPurged() throws Exception {
    String tenant = TenantIds.fresh("locked");
    List<String> ids = records(tenant, "formbricks", "s", "q1", 3);
    embed(ids);
    embed(records(tenant, "formbricks", "s", "q2", 3));
    String done = createRun(tenant, "q1");
    Reply stored =
        internal(APP, "PUT", "/internal/v1/taxonomy/runs/" + done + "/result", result(ids));
    assertThat(stored.status()).as(stored.body()).isEqualTo(200);
    JsonNode root =
        Reply.of(APP.get("/v1/taxonomy/runs/" + done + "/tree?tenant_id=" + tenant))
            .json()
            .path("root");
    String pricing = child(root, "Pricing").path("id").asText();
    String bugs = child(root, "Bugs").path("id").asText();
    String pending = createRun(tenant, "q2");
    Db.execute(
        "UPDATE taxonomy_runs SET created_at = now() - interval '2 hours' WHERE id = CAST(? AS uuid)",
        pending);
    TaxonomyRunLifecycle lifecycle = new TaxonomyRunLifecycle(jdbi(), LOCK, MODEL);
    TaxonomyReaper reaper = new TaxonomyReaper(jdbi(), lifecycle, 60, 60);
    String rename = "{\"tenant_id\":\"" + tenant + "\",\"actor_id\":\"a\",\"label\":\"Cost\"}";
    long outbox = Db.queryLong("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", tenant);

    try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
      assertRetryableConflict(
          Reply.of(APP.post("/v1/taxonomy/runs", createRunBody(tenant, "formbricks", "s", "q1"))));
      assertRetryableConflict(Reply.of(APP.patch("/v1/taxonomy/nodes/" + pricing, rename)));
      assertRetryableConflict(
          Reply.of(
              APP.delete("/v1/taxonomy/nodes/" + bugs + "?tenant_id=" + tenant + "&actor_id=a")));
      String base = "/internal/v1/taxonomy/runs/" + pending;
      assertRetryableConflict(internal(APP, "POST", base + "/heartbeat", "{}"));
      assertRetryableConflict(internal(APP, "POST", base + "/failed", "{\"error\":\"boom\"}"));
      assertRetryableConflict(internal(APP, "PUT", base + "/result", result(ids)));
      UUID pendingId = UUID.fromString(pending);
      assertThatThrownBy(() -> lifecycle.markRunning(pendingId))
          .isInstanceOf(TenantWriteConflictException.class);
      reaper.reapOnce(); // skips the locked tenant's stale run instead of failing
      assertThat(status(pending)).isEqualTo("pending");
      assertThat(
              Db.queryStrings(
                  "SELECT label FROM taxonomy_nodes WHERE id = CAST(? AS uuid)", pricing))
          .containsExactly("Pricing");
      assertThat(
              Db.queryLong("SELECT count(*) FROM taxonomy_node_events WHERE tenant_id = ?", tenant))
          .isZero();
      assertThat(Db.queryLong("SELECT count(*) FROM taxonomy_runs WHERE tenant_id = ?", tenant))
          .isEqualTo(2);
      assertThat(Db.queryLong("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", tenant))
          .isEqualTo(outbox);
    }

    assertThat(Reply.of(APP.patch("/v1/taxonomy/nodes/" + pricing, rename)).status())
        .isEqualTo(200);
    reaper.reapOnce();
    assertThat(status(pending)).isEqualTo("failed");
    assertThat(
            Db.queryStrings(
                "SELECT error_code FROM taxonomy_runs WHERE id = CAST(? AS uuid)", pending))
        .containsExactly("internal_error");
  }

  /**
   * A second MarkRunRunning is a terminal conflict whose detail is read through the open
   * transaction: the lifecycle gets a Jdbi that refuses a second concurrent connection.
   */
  @Test
  void markingARunRunningTwiceIsAConflictBuiltInsideTheTransaction() throws Exception {
    String tenant = TenantIds.fresh("twice");
    embed(records(tenant, "formbricks", "s", "q1", 2));
    UUID runId = UUID.fromString(createRun(tenant, "q1"));
    AtomicInteger open = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ConnectionFactory single =
        new ConnectionFactory() {
          @Override
          public Connection openConnection() throws SQLException {
            if (open.incrementAndGet() > 1) {
              open.decrementAndGet();
              refused.incrementAndGet();
              throw new SQLException("a second connection was requested");
            }
            return TestDatabase.get().dataSource().getConnection();
          }

          @Override
          public void closeConnection(Connection connection) throws SQLException {
            open.decrementAndGet();
            connection.close();
          }
        };
    TaxonomyRunLifecycle lifecycle = new TaxonomyRunLifecycle(Jdbi.create(single), LOCK, MODEL);

    assertThat(lifecycle.markRunning(runId).status()).isEqualTo("running");
    assertThatThrownBy(() -> lifecycle.markRunning(runId))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ProblemCode.CONFLICT);
              assertThat(e.getMessage())
                  .isEqualTo("taxonomy run is running; cannot transition to running");
            });
    assertThat(refused).hasValue(0);
    assertThat(open).hasValue(0);
    assertThat(status(runId.toString())).isEqualTo("running");
  }

  /**
   * Creating a run waits on the scope lock (after the tenant lock): a test holding the scope key
   * queues the create until it lets go, and the create then succeeds.
   */
  @Test
  void creatingARunWaitsForTheScopeLock() throws Exception {
    String tenant = TenantIds.fresh("scope-lock");
    embed(records(tenant, "formbricks", "s", "q1", 2));
    String key = TenantWriteLock.taxonomyScopeKey("field", tenant, "formbricks", "s", "q1");
    CompletableFuture<Reply> created;
    try (Connection holder = TestDatabase.get().rawConnection("test-scope-lock-holder")) {
      try (var s = holder.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
        s.setString(1, key);
        s.executeQuery().close();
      }
      created =
          CompletableFuture.supplyAsync(
              () ->
                  Reply.of(
                      APP.post(
                          "/v1/taxonomy/runs", createRunBody(tenant, "formbricks", "s", "q1"))));
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(
              () ->
                  Db.queryLong(
                          "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                              + " AND NOT granted AND objsubid = 1"
                              + " AND ((classid::bigint << 32) | objid::bigint)"
                              + " = hashtextextended(?, 0)",
                          key)
                      == 1);
      assertThat(created).isNotDone();
      try (var s = holder.prepareStatement("SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
        s.setString(1, key);
        s.executeQuery().close();
      }
    }
    Reply reply = created.get(10, TimeUnit.SECONDS);
    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
  }

  @Test
  void theReaperAndAPurgeRaceWithoutErrors() throws Exception {
    TaxonomyRunLifecycle lifecycle = new TaxonomyRunLifecycle(jdbi(), LOCK, MODEL);
    TaxonomyReaper reaper = new TaxonomyReaper(jdbi(), lifecycle, 60, 60);
    for (int round = 0; round < 5; round++) {
      String tenant = TenantIds.fresh("race");
      embed(records(tenant, "formbricks", "s", "q1", 2));
      String runId = createRun(tenant, "q1");
      Db.execute(
          "UPDATE taxonomy_runs SET created_at = now() - interval '2 hours'"
              + " WHERE id = CAST(? AS uuid)",
          runId);
      CountDownLatch go = new CountDownLatch(1);
      CompletableFuture<Integer> reaped =
          CompletableFuture.supplyAsync(
              () -> {
                await(go);
                return reaper.reapOnce();
              });
      CompletableFuture<Reply> purged =
          CompletableFuture.supplyAsync(
              () -> {
                await(go);
                return Reply.of(APP.delete("/v1/tenants/" + tenant + "/data"));
              });
      go.countDown();
      assertThat(reaped.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0);
      Reply purge = purged.get(30, TimeUnit.SECONDS);
      assertThat(purge.status()).as(purge.body()).isEqualTo(200);
      assertThat(purge.json().path("deleted_taxonomy_runs").asLong()).isEqualTo(1);
      assertThat(Db.queryLong("SELECT count(*) FROM taxonomy_runs WHERE tenant_id = ?", tenant))
          .isZero();
    }
  }

  @Test
  void aPurgeDeletesTheWholeTaxonomyGraphWithExactCountsAndSparesOtherTenants() {
    String tenant = TenantIds.fresh("purged");
    String other = TenantIds.fresh("kept");
    String otherRun = fullGraph(other);
    fullGraph(tenant);

    Reply purge = Reply.of(APP.delete("/v1/tenants/" + tenant + "/data"));
    assertThat(purge.status()).as(purge.body()).isEqualTo(200);
    JsonNode counts = purge.json();
    assertThat(counts.path("deleted_feedback_records").asLong()).isEqualTo(2);
    assertThat(counts.path("deleted_embeddings").asLong()).isEqualTo(2);
    assertThat(counts.path("deleted_taxonomy_runs").asLong()).isEqualTo(1);
    assertThat(counts.path("deleted_taxonomy_clusters").asLong()).isEqualTo(1);
    assertThat(counts.path("deleted_taxonomy_cluster_memberships").asLong()).isEqualTo(1);
    assertThat(counts.path("deleted_taxonomy_nodes").asLong()).isEqualTo(3);
    assertThat(counts.path("deleted_taxonomy_active_runs").asLong()).isEqualTo(1);
    assertThat(counts.path("deleted_taxonomy_node_events").asLong()).isEqualTo(1);

    JsonNode kept =
        Reply.of(APP.get("/v1/taxonomy/runs/" + otherRun + "/tree?tenant_id=" + other)).json();
    assertThat(kept.path("root").path("children")).hasSize(1);
    assertThat(
            Db.queryLong(
                "SELECT count(*) FROM taxonomy_nodes WHERE run_id = CAST(? AS uuid)", otherRun))
        .isEqualTo(3);
    assertThat(Db.queryLong("SELECT count(*) FROM taxonomy_node_events WHERE tenant_id = ?", other))
        .isEqualTo(1);

    JsonNode again = Reply.of(APP.delete("/v1/tenants/" + tenant + "/data")).json();
    for (String field :
        List.of(
            "deleted_feedback_records",
            "deleted_embeddings",
            "deleted_taxonomy_runs",
            "deleted_taxonomy_clusters",
            "deleted_taxonomy_cluster_memberships",
            "deleted_taxonomy_nodes",
            "deleted_taxonomy_active_runs",
            "deleted_taxonomy_node_events")) {
      assertThat(again.path(field).asLong()).as(field).isZero();
    }
  }

  /** 2 records with embeddings, 1 run, 1 cluster, 1 membership, 3 nodes, 1 active run, 1 event. */
  static String fullGraph(String tenant) {
    List<String> ids = records(tenant, "formbricks", "s", "q1", 2);
    embed(ids);
    String runId = createRun(tenant, "q1");
    String result =
        """
        {"clusters": [{"cluster_key": 7, "label": "Speed", "size": 1, "is_outlier": false}],
         "memberships": [{"cluster_key": 7, "feedback_record_id": "%s"}],
         "nodes": [
           {"node_key": "r", "node_type": "root", "label": "All", "level": 0, "sort_order": 0},
           {"node_key": "b", "parent_key": "r", "node_type": "branch", "label": "Product",
            "level": 1, "sort_order": 0},
           {"node_key": "l", "parent_key": "b", "cluster_key": 7, "node_type": "leaf",
            "label": "Speed", "level": 2, "sort_order": 0}]}
        """
            .formatted(ids.get(0));
    Reply stored = internal(APP, "PUT", "/internal/v1/taxonomy/runs/" + runId + "/result", result);
    assertThat(stored.status()).as(stored.body()).isEqualTo(200);
    String leaf =
        Db.queryStrings(
                "SELECT id FROM taxonomy_nodes WHERE run_id = CAST(? AS uuid) AND node_type = 'leaf'",
                runId)
            .get(0);
    Reply renamed =
        Reply.of(
            APP.patch(
                "/v1/taxonomy/nodes/" + leaf,
                "{\"tenant_id\":\"" + tenant + "\",\"actor_id\":\"a\",\"label\":\"Fast\"}"));
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    return runId;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
