package org.feedbackhub.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.api.CreateWebhookRequest;
import org.feedbackhub.api.ProblemCode;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.tenant.TenantConflictMetrics;
import org.feedbackhub.tenant.TenantWriteLock;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/**
 * The global {@code WEBHOOK_MAX_COUNT} holds under concurrent creates, and a create names its
 * tenant to the lock module, against real PostgreSQL.
 */
class WebhookServiceLimitTest {
  static final int CREATORS = 8;

  final Jdbi jdbi =
      Jdbi.create(TestDatabase.get().dataSource())
          .installPlugin(new SqlObjectPlugin())
          .installPlugin(new PostgresPlugin());
  final List<String> lockedTenants = new CopyOnWriteArrayList<>();
  final MetricRegistry registry = new MetricRegistry();
  final TenantWriteLock lock =
      new TenantWriteLock(new TenantConflictMetrics(registry), registry, lockedTenants::add);

  WebhookService service(int maxCount) {
    return new WebhookService(jdbi, lock, new WebhookUrlGuard(List.of(), true), maxCount);
  }

  static CreateWebhookRequest request(String tenant) {
    return new CreateWebhookRequest("http://127.0.0.1:9/hook", tenant, null, true, null);
  }

  @Test
  void concurrentCreatesAtOneBelowTheLimitLetExactlyOneThrough() throws Exception {
    String tenant = TenantIds.fresh();
    long existing = Db.queryLong("SELECT count(*) FROM webhooks");
    WebhookService service = service((int) existing + 1);
    ExecutorService pool = Executors.newFixedThreadPool(CREATORS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < CREATORS; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    service.create(request(tenant));
                    return true;
                  } catch (ProblemException e) {
                    assertThat(e.code()).isEqualTo(ProblemCode.FORBIDDEN);
                    return false;
                  }
                }));
      }
      start.countDown();
      int created = 0;
      for (Future<Boolean> result : results) {
        created += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(created).isEqualTo(1);
      assertThat(Db.queryLong("SELECT count(*) FROM webhooks WHERE tenant_id = ?", tenant))
          .isEqualTo(1);
      assertThat(
              Db.queryLong(
                  "SELECT count(*) FROM outbox_messages"
                      + " WHERE tenant_id = ? AND event_type = 'webhook.created'",
                  tenant))
          .isEqualTo(1);
    } finally {
      pool.shutdownNow();
      Db.execute("DELETE FROM webhooks WHERE tenant_id = ?", tenant);
      Db.execute("DELETE FROM outbox_messages WHERE tenant_id = ?", tenant);
    }
  }

  @Test
  void aCreateNamesItsTenantToTheLockModule() {
    String tenant = TenantIds.fresh();
    try {
      service(Integer.MAX_VALUE).create(request(tenant));
      assertThat(lockedTenants).contains(tenant);
    } finally {
      Db.execute("DELETE FROM webhooks WHERE tenant_id = ?", tenant);
      Db.execute("DELETE FROM outbox_messages WHERE tenant_id = ?", tenant);
    }
  }
}
