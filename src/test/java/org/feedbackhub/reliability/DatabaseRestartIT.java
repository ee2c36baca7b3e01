package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL stops and starts again under the running service: the {@code postgresql} health check
 * turns unhealthy, requests meanwhile get a prompt retryable 503, and once the server is back every
 * request succeeds without restarting the service, so no pooled connection stays broken, and the
 * bursts leave at most {@value #POOL} connections (the pool's maximum). The application has its own
 * server (a fixed port and data folder) and a pool of {@value #POOL}.
 */
@Tag("reliability")
class DatabaseRestartIT {
  static final String APP_NAME = "fh-restart";
  static final int POOL = 4;
  static final int CONNECT_TIMEOUT_SECONDS = 2;

  /** The longest a request may take while the database is down: connect or borrow, then answer. */
  static final Duration OUTAGE_ANSWER_BOUND = Duration.ofSeconds(2L * CONNECT_TIMEOUT_SECONDS + 3);

  @RegisterExtension
  @Order(1)
  static final RestartablePostgres POSTGRES = new RestartablePostgres();

  static final HubApp APP =
      HubApp.builder()
          .databaseUrl(POSTGRES::databaseUrl)
          .set("database.maxConnections", Integer.toString(POOL))
          .set("database.connectTimeoutSeconds", Integer.toString(CONNECT_TIMEOUT_SECONDS))
          .set("database.applicationName", APP_NAME)
          .build();

  @RegisterExtension
  @Order(2)
  static final DropwizardAppExtension<?> EXT = APP.extension();

  final Api api = new Api(APP.baseUrl());
  final Api admin = new Api(APP.adminUrl());
  final String tenant = TenantIds.fresh("restart");

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theServiceRecoversFromADatabaseRestartWithoutBrokenPooledConnections() throws Exception {
    List<String> before = createConcurrently(POOL, "before");
    assertThat(databaseHealth().status()).isEqualTo(200);

    POSTGRES.stop();
    await("the postgresql health check fails")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> databaseHealth().status() == 500);
    Reply health = databaseHealth();
    assertThat(health.json().path("postgresql").path("healthy").asBoolean())
        .as(health.body())
        .isFalse();
    // More requests than pooled connections, one at a time: every connection from before the
    // stop is taken and found broken.
    for (int i = 0; i < POOL + 1; i++) {
      String submission = "outage-" + i;
      assertPromptUnavailable(() -> api.post("/v1/feedback-records", body(submission)));
      assertPromptUnavailable(() -> api.get("/v1/feedback-records/" + before.get(0)));
    }
    List<CompletableFuture<Reply>> concurrent = new ArrayList<>();
    long sent = System.nanoTime();
    for (int i = 0; i < POOL * 2; i++) {
      String submission = "outage-concurrent-" + i;
      concurrent.add(
          CompletableFuture.supplyAsync(() -> api.post("/v1/feedback-records", body(submission))));
    }
    for (CompletableFuture<Reply> reply : concurrent) {
      assertUnavailable(reply.get(30, TimeUnit.SECONDS));
    }
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(OUTAGE_ANSWER_BOUND);
    assertThat(api.get("/v1/feedback-records/not-a-uuid").status())
        .as("a client mistake stays a 400 while the database is down")
        .isEqualTo(400);

    POSTGRES.start();
    long restarted = System.nanoTime();
    await("the postgresql health check passes again")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> databaseHealth().status() == 200);
    System.out.printf(
        "DatabaseRestartIT: healthy %d ms after the restart%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));

    for (int i = 0; i < 3 * POOL; i++) {
      Reply read = api.get("/v1/feedback-records/" + before.get(i % before.size()));
      assertThat(read.status()).as("read %d after the restart: %s", i, read.body()).isEqualTo(200);
      create("after-" + i);
    }
    List<String> concurrentAfter = createConcurrently(3 * POOL, "concurrent-after");
    assertThat(concurrentAfter).doesNotHaveDuplicates().hasSize(3 * POOL);
    Hygiene.awaitClean(POSTGRES::connect, List.of(tenant), APP_NAME);
    // The bursts above waited for pooled connections while connects failed and then succeeded:
    // the pool still holds at most DATABASE_MAX_CONNS, by its own count and by the server's.
    long backends = Hygiene.backends(POSTGRES::connect, APP_NAME);
    Object poolSize =
        EXT.getEnvironment()
            .metrics()
            .getGauges()
            .get("postgresql.pool.TotalConnections")
            .getValue();
    System.out.printf(
        "DatabaseRestartIT: %d backends after recovery, pool size gauge %s (max %d)%n",
        backends, poolSize, POOL);
    assertThat(backends).as("backends of the application after recovery").isLessThanOrEqualTo(POOL);
    assertThat((Integer) poolSize).as("Hikari's connection count").isLessThanOrEqualTo(POOL);
  }

  /** Dropwizard's health checks on the admin port: 200 when all pass, 500 when one fails. */
  Reply databaseHealth() {
    return admin.get("/healthcheck");
  }

  List<String> createConcurrently(int count, String prefix) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(count);
    try {
      List<CompletableFuture<String>> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String submission = prefix + "-" + i;
        ids.add(CompletableFuture.supplyAsync(() -> create(submission), clients));
      }
      List<String> created = new ArrayList<>();
      for (CompletableFuture<String> id : ids) {
        created.add(id.get(30, TimeUnit.SECONDS));
      }
      return created;
    } finally {
      clients.shutdownNow();
    }
  }

  String create(String submission) {
    Reply created = api.post("/v1/feedback-records", body(submission));
    assertThat(created.status()).as("create %s: %s", submission, created.body()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  String body(String submission) {
    return FaultInjectionIT.body(tenant, submission);
  }

  static void assertPromptUnavailable(Supplier<Reply> request) {
    long sent = System.nanoTime();
    Reply reply = request.get();
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(OUTAGE_ANSWER_BOUND);
    assertUnavailable(reply);
  }

  static void assertUnavailable(Reply reply) {
    FaultInjectionIT.assertDatabaseUnavailable(reply);
  }
}
