package org.feedbackhub.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.feedbackhub.core.TaxonomyRunLifecycle;
import org.feedbackhub.tenant.TenantConflictMetrics;
import org.feedbackhub.tenant.TenantWriteLock;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The start worker defers a job whose tenant is being purged (the lock held by this test) instead
 * of calling the compute service, and starts the run once the purge lets go.
 */
@Tag("concurrency")
class TaxonomyStartWorkerIT {
  @Test
  void aStartJobWaitsOutAPurgeOfItsTenant() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    HttpServer compute = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    compute.createContext(
        "/",
        exchange -> {
          calls.add(exchange.getRequestURI().getPath());
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    compute.start();
    try {
      Jdbi jdbi = Jdbi.create(TestDatabase.get().dataSource());
      TenantWriteLock lock =
          new TenantWriteLock(
              new TenantConflictMetrics(new MetricRegistry()), new MetricRegistry());
      TaxonomyStartWorker worker =
          new TaxonomyStartWorker(
              jdbi,
              new TaxonomyRunLifecycle(jdbi, lock, "m"),
              new TaxonomyStartWorker.Settings(
                  "http://127.0.0.1:" + compute.getAddress().getPort(),
                  "token",
                  3,
                  Duration.ofMinutes(10),
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(5)));
      String tenant = TenantIds.fresh("worker");
      String runId =
          Db.queryStrings(
                  "INSERT INTO taxonomy_runs (tenant_id, source_type, field_id)"
                      + " VALUES (?, 's', 'f') RETURNING id",
                  tenant)
              .get(0);
      Db.execute(
          "INSERT INTO outbox_messages (topic, event_type, tenant_id, payload)"
              + " VALUES ('taxonomy_start', 'taxonomy_run.start', ?,"
              + " jsonb_build_object('run_id', ?))",
          tenant,
          runId);
      String path = "/v1/runs/" + runId + "/start";

      try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
        worker.poll();
      }
      assertThat(calls).doesNotContain(path);
      assertThat(status(runId)).isEqualTo("pending");
      assertThat(
              Db.queryStrings(
                  "SELECT attempts || ':' || (available_at > now() + interval '5 minutes')"
                      + " || ':' || last_error FROM outbox_messages WHERE tenant_id = ?",
                  tenant))
          .containsExactly(
              "1:true:" + org.feedbackhub.tenant.TenantWriteConflictException.WRITER_REFUSED);

      Db.execute("UPDATE outbox_messages SET available_at = now() WHERE tenant_id = ?", tenant);
      worker.poll();
      assertThat(calls).contains(path);
      assertThat(status(runId)).isEqualTo("running");
      assertThat(Db.queryLong("SELECT count(*) FROM outbox_messages WHERE tenant_id = ?", tenant))
          .isZero();
    } finally {
      compute.stop(0);
    }
  }

  private static String status(String runId) {
    return Db.queryStrings(
            "SELECT status::text FROM taxonomy_runs WHERE id = CAST(? AS uuid)", runId)
        .get(0);
  }
}
