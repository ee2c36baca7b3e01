package org.feedbackhub.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The job queue on real PostgreSQL, each test on a topic of its own: two claimers never get the
 * same job, a worker whose lease ran out is fenced out, the unique key, delays and metrics.
 */
@Tag("concurrency")
class JobQueueIT {
  final Jdbi jdbi =
      Jdbi.create(TestDatabase.get().dataSource())
          .installPlugin(new SqlObjectPlugin())
          .installPlugin(new PostgresPlugin());
  final MetricRegistry metrics = new MetricRegistry();
  final String topic = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  final JobQueue queue = new JobQueue(jdbi, topic, metrics);

  @AfterEach
  void cleanUp() {
    Db.execute("DELETE FROM outbox_messages WHERE topic = ?", topic);
  }

  UUID enqueue(String key) {
    return jdbi.inTransaction(h -> queue.enqueue(h, "t1", "{\"n\":1}", Duration.ZERO, key))
        .orElseThrow();
  }

  Optional<UUID> enqueueOrEmpty(String key) {
    return jdbi.inTransaction(h -> queue.enqueue(h, "t1", "{}", Duration.ZERO, key));
  }

  @Test
  void twoClaimersNeverGetTheSameJob() throws Exception {
    int jobs = 200;
    jdbi.useTransaction(
        h -> {
          for (int i = 0; i < jobs; i++) {
            queue.enqueue(h, "t1", "{\"n\":" + i + "}", Duration.ZERO, null);
          }
        });
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<UUID>>> claimers = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        claimers.add(
            pool.submit(
                () -> {
                  start.await();
                  List<UUID> mine = new ArrayList<>();
                  List<ClaimedJob> batch;
                  while (!(batch = queue.claim(7, Duration.ofMinutes(5))).isEmpty()) {
                    batch.forEach(j -> mine.add(j.id()));
                  }
                  return mine;
                }));
      }
      start.countDown();
      List<UUID> all = new ArrayList<>();
      for (Future<List<UUID>> claimer : claimers) {
        all.addAll(claimer.get(60, TimeUnit.SECONDS));
      }
      assertThat(all).hasSize(jobs).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWorkerWhoseLeaseRanOutCannotTouchTheJobAnotherReclaimed() {
    UUID id = enqueue(null);
    ClaimedJob late = queue.claimOne(Duration.ofMinutes(5)).orElseThrow();
    // The lease runs out: the job is due again and another instance claims it.
    Db.execute("UPDATE outbox_messages SET available_at = now() WHERE id = ?", id);
    ClaimedJob current = queue.claimOne(Duration.ofMinutes(5)).orElseThrow();
    assertThat(current.id()).isEqualTo(id);
    assertThat(current.attempts()).isEqualTo(late.attempts() + 1);

    assertThat(queue.complete(late, JobOutcome.SUCCEEDED)).isFalse();
    assertThat(queue.retry(late, Duration.ZERO, false, "late")).isFalse();
    assertThat(queue.park(late, "late")).isFalse();
    assertThat(
            Db.queryStrings(
                "SELECT COALESCE(last_error, '-') FROM outbox_messages WHERE id = ?", id))
        .containsExactly("-");

    assertThat(queue.complete(current, JobOutcome.SUCCEEDED)).isTrue();
    assertThat(Db.queryLong("SELECT count(*) FROM outbox_messages WHERE id = ?", id)).isZero();
    assertThat(metrics.counter(JobQueue.metricName(topic, "succeeded")).getCount()).isEqualTo(1);
  }

  @Test
  void aUniqueKeyAllowsOneQueuedOrRunningJobAndFreesOnParkOrCompletion() {
    String key = "purge|" + topic;
    UUID first = enqueue(key);
    assertThat(enqueueOrEmpty(key)).as("a second job with the key while one is queued").isEmpty();
    ClaimedJob running = queue.claimOne(Duration.ofMinutes(5)).orElseThrow();
    assertThat(enqueueOrEmpty(key)).as("while it runs").isEmpty();
    assertThat(queue.park(running, "failed for good")).isTrue();
    UUID second = enqueue(key);
    assertThat(second).isNotEqualTo(first);
    ClaimedJob next = queue.claimOne(Duration.ofMinutes(5)).orElseThrow();
    assertThat(queue.complete(next, JobOutcome.SUCCEEDED)).isTrue();
    assertThat(enqueue(key)).isNotNull();
  }

  @Test
  void aDelayedJobIsNotDueUntilItsTimeAndRetriesFollowTheBackoff() {
    Optional<UUID> delayed =
        jdbi.inTransaction(h -> queue.enqueue(h, "t1", "{}", Duration.ofHours(1), null));
    assertThat(delayed).isPresent();
    assertThat(queue.claimOne(Duration.ofMinutes(5))).isEmpty();
    assertThat(metrics.getGauges().get(JobQueue.metricName(topic, "depth")).getValue())
        .isEqualTo(1L);

    Db.execute("UPDATE outbox_messages SET available_at = now() WHERE id = ?", delayed.get());
    ClaimedJob job = queue.claimOne(Duration.ofMinutes(5)).orElseThrow();
    Backoff backoff = new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10));
    assertThat(queue.retry(job, backoff.after(job.attempts()), false, "boom")).isTrue();
    assertThat(
            Db.queryLong(
                "SELECT round(EXTRACT(EPOCH FROM available_at - now()))::bigint"
                    + " FROM outbox_messages WHERE id = ?",
                delayed.get()))
        .isBetween(28L, 30L);
    assertThat(metrics.counter(JobQueue.metricName(topic, "retried")).getCount()).isEqualTo(1);
  }

  @Test
  void enqueueFromIsTheHeadOfAnInsertInsideOneStatement() {
    long inserted =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "WITH src AS (SELECT 't9' AS tenant_id), job AS ("
                            + JobQueue.enqueueFrom(topic)
                            + "tenant_id, jsonb_build_object('x', 1) FROM src"
                            + " RETURNING 1) SELECT count(*) FROM job")
                    .mapTo(Long.class)
                    .one());
    assertThat(inserted).isEqualTo(1);
    assertThat(Db.queryLong("SELECT count(*) FROM outbox_messages WHERE topic = ?", topic))
        .isEqualTo(1);
  }
}
