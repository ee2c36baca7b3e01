package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A bounded soak: mixed traffic (creates, reads, lists, counts, updates, deletes) from {@value
 * #CLIENTS} clients over four tenants, with a purge of one of them every half second, for 20 s
 * ({@code -Dsoak.seconds=N} for longer). An error is a 5xx, a transport failure, or any status
 * other than the operation's success, 404 (a record purged meanwhile) and 409
 * tenant_write_conflict; the target is zero. Heap and database connections are reported at start
 * and end; the end must leave no advisory lock, no backend idle in transaction and no more backends
 * than the pool allows.
 */
@Tag("reliability")
class SoakIT {
  static final int CLIENTS = 6;
  static final int POOL = 10;
  static final String APP_NAME = "fh-soak";

  static final HubApp APP =
      HubApp.builder()
          .set("tenantPurgeLockTimeoutSeconds", "2")
          .set("database.maxConnections", String.valueOf(POOL))
          .set("database.applicationName", APP_NAME)
          .set("webhooks.dispatcherEnabled", "false")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void mixedTrafficWithPeriodicPurgesRunsWithoutErrorsOrLeaks() throws Exception {
    long seconds = Long.getLong("soak.seconds", 20);
    Api api = new Api(APP.baseUrl());
    List<String> tenants = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tenants.add(TenantIds.fresh("soak" + i));
    }
    Map<String, List<String>> ids = new ConcurrentHashMap<>();
    tenants.forEach(t -> ids.put(t, new java.util.concurrent.CopyOnWriteArrayList<>()));
    Snapshot start = Snapshot.take();
    AtomicLong operations = new AtomicLong();
    AtomicLong conflicts = new AtomicLong();
    AtomicLong purges = new AtomicLong();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);

    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      futures.add(
          pool.submit(
              () -> {
                Random random = new Random(client);
                int n = 0;
                while (System.nanoTime() < deadline) {
                  String tenant = tenants.get(random.nextInt(tenants.size()));
                  List<String> known = ids.get(tenant);
                  String id = known.isEmpty() ? null : known.get(random.nextInt(known.size()));
                  int dice = random.nextInt(100);
                  Reply reply;
                  int success;
                  if (dice < 35 || id == null) {
                    reply =
                        api.post(
                            "/v1/feedback-records",
                            FaultInjectionIT.body(tenant, "soak-" + client + "-" + n++));
                    success = 201;
                    if (reply.status() == 201) {
                      known.add(reply.json().path("id").asText());
                    }
                  } else if (dice < 55) {
                    reply = api.get("/v1/feedback-records/" + id);
                    success = 200;
                  } else if (dice < 70) {
                    reply = api.get("/v1/feedback-records?limit=20&tenant_id=" + tenant);
                    success = 200;
                  } else if (dice < 78) {
                    reply = api.get("/v1/feedback-records/count?tenant_id=" + tenant);
                    success = 200;
                  } else if (dice < 92) {
                    reply =
                        api.patch(
                            "/v1/feedback-records/" + id, "{\"value_text\":\"v" + n++ + "\"}");
                    success = 200;
                  } else {
                    reply = api.delete("/v1/feedback-records/" + id);
                    success = 204;
                  }
                  operations.incrementAndGet();
                  classify(reply, success, conflicts, errors);
                }
                return null;
              }));
    }
    futures.add(
        pool.submit(
            () -> {
              Random random = new Random(-1);
              while (System.nanoTime() < deadline) {
                String tenant = tenants.get(random.nextInt(tenants.size()));
                classify(api.delete("/v1/tenants/" + tenant + "/data"), 200, conflicts, errors);
                purges.incrementAndGet();
                operations.incrementAndGet();
                // Pacing, not synchronisation: purges are periodic, not back-to-back.
                long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                for (long pause; (pause = Math.min(next, deadline) - System.nanoTime()) > 0; ) {
                  LockSupport.parkNanos(pause);
                }
              }
              return null;
            }));
    for (Future<?> f : futures) {
      f.get(seconds + 120, TimeUnit.SECONDS);
    }
    pool.shutdown();

    Hygiene.awaitClean(tenants, APP_NAME);
    Snapshot end = Snapshot.take();
    System.out.printf(
        "SoakIT: %d s, %d operations (%.0f/s), %d purges, %d retryable conflicts, %d errors;"
            + " heap %d MiB -> %d MiB; %s backends %d -> %d (pool max %d)%n",
        seconds,
        operations.get(),
        operations.get() / (double) seconds,
        purges.get(),
        conflicts.get(),
        errors.size(),
        start.heapMiB,
        end.heapMiB,
        APP_NAME,
        start.backends,
        end.backends,
        POOL);
    assertThat(errors).as("errors (first ones)").isEmpty();
    assertThat(purges.get()).isPositive();
    assertThat(end.backends).isLessThanOrEqualTo(POOL);
  }

  static void classify(
      Reply reply, int success, AtomicLong conflicts, ConcurrentLinkedQueue<String> errors) {
    if (reply.status() == success || reply.status() == 404) {
      return;
    }
    if (reply.status() == 409 && reply.body().contains("\"tenant_write_conflict\"")) {
      conflicts.incrementAndGet();
      return;
    }
    if (errors.size() < 20) {
      errors.add(reply.status() + " " + reply.body());
    } else {
      errors.add("");
    }
  }

  /** Heap in use (after a GC request) and the application's database backends. */
  record Snapshot(long heapMiB, long backends) {
    static Snapshot take() throws Exception {
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
      return new Snapshot(heap, Hygiene.backends(APP_NAME));
    }
  }
}
