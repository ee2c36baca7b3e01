package org.feedbackhub.jobs;

import com.codahale.metrics.CachedGauge;
import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * One topic of the job queue, the one place that knows {@code outbox_messages} as a queue: enqueue
 * (an SQL fragment for a gated single statement, a call inside an open transaction), claim due jobs
 * with {@code FOR UPDATE SKIP LOCKED} and a lease, and complete, reschedule or park a claimed job
 * fenced by its attempt count. Counts outcomes and exposes depth and the oldest due job's age as
 * metrics {@code jobs.<topic>.*}.
 *
 * @implNote A claim moves {@code available_at} past the lease and counts the attempt in one
 *     statement, so instances never share a job and the work itself holds no transaction; a job
 *     whose worker died is due again when its lease ends. The fence ({@code attempts} unchanged
 *     since the claim) makes a late worker's writes no-ops once another instance re-claimed the
 *     job. An optional unique key allows at most one queued-or-running job with that key (a partial
 *     unique index over jobs not parked).
 */
public final class JobQueue {
  /** Metric names start with this, then the topic. */
  public static final String METRIC_PREFIX = "jobs.";

  private static final Pattern TOPIC = Pattern.compile("[a-z0-9_]{1,32}");
  private static final int ERROR_MAX = 500;

  private final Jdbi jdbi;
  private final String topic;
  private final Map<JobOutcome, Counter> outcomes = new EnumMap<>(JobOutcome.class);

  public JobQueue(Jdbi jdbi, String topic, MetricRegistry metrics) {
    if (!TOPIC.matcher(topic).matches()) {
      throw new IllegalArgumentException("a topic is lower-case letters, digits and _: " + topic);
    }
    this.jdbi = jdbi;
    this.topic = topic;
    for (JobOutcome outcome : JobOutcome.values()) {
      outcomes.put(outcome, metrics.counter(metricName(topic, outcome.label())));
    }
    CachedGauge<JobQueueDao.TopicDepth> depth =
        new CachedGauge<>(5, TimeUnit.SECONDS) {
          @Override
          protected JobQueueDao.TopicDepth loadValue() {
            return jdbi.withExtension(JobQueueDao.class, dao -> dao.depth(topic));
          }
        };
    metrics.gauge(metricName(topic, "depth"), () -> (Gauge<Long>) () -> depth.getValue().depth());
    metrics.gauge(
        metricName(topic, "oldest_due_seconds"),
        () -> (Gauge<Double>) () -> depth.getValue().oldestDueSeconds());
  }

  /** {@code jobs.<topic>.<name>}. */
  public static String metricName(String topic, String name) {
    return METRIC_PREFIX + topic + "." + name;
  }

  /**
   * The head of an {@code INSERT} that enqueues a job of {@code topic} for every row of the {@code
   * SELECT} it opens, for a data-modifying CTE of a gated single statement (so a refused write
   * leaves no job): append the tenant id and the payload ({@code jsonb}) expressions and the {@code
   * FROM}, e.g. {@code enqueueFrom("embedding") + "tenant_id, jsonb_build_object(...) FROM
   * inserted"}.
   */
  public static String enqueueFrom(String topic) {
    if (!TOPIC.matcher(topic).matches()) {
      throw new IllegalArgumentException("a topic is lower-case letters, digits and _: " + topic);
    }
    return "INSERT INTO outbox_messages (topic, tenant_id, payload)\n    SELECT '" + topic + "', ";
  }

  public String topic() {
    return topic;
  }

  /**
   * Enqueues a job inside the open transaction of {@code handle}, due after {@code delay}.
   *
   * @param uniqueKey null, or a key no other queued or running job may carry
   * @return the job's id; empty when a job with {@code uniqueKey} is queued or running already
   */
  public Optional<UUID> enqueue(
      Handle handle, String tenantId, String payloadJson, Duration delay, String uniqueKey) {
    if (!handle.isInTransaction()) {
      throw new IllegalStateException("a job is enqueued inside the transaction of its write");
    }
    return handle
        .attach(JobQueueDao.class)
        .enqueue(topic, tenantId, payloadJson, seconds(delay), uniqueKey);
  }

  /** Leases up to {@code limit} due jobs for {@code lease}, oldest due first. */
  public List<ClaimedJob> claim(int limit, Duration lease) {
    return jdbi.withExtension(JobQueueDao.class, dao -> dao.claim(topic, seconds(lease), limit));
  }

  /** {@link #claim(int, Duration)} of one job. */
  public Optional<ClaimedJob> claimOne(Duration lease) {
    return claim(1, lease).stream().findFirst();
  }

  /**
   * Deletes the finished job, counted as {@code outcome} ({@link JobOutcome#SUCCEEDED} or {@link
   * JobOutcome#SKIPPED}).
   *
   * @return false when the fence refused: the lease ran out and the job is another's now
   */
  public boolean complete(ClaimedJob job, JobOutcome outcome) {
    return jdbi.withHandle(h -> complete(h, job, outcome));
  }

  /** {@link #complete(ClaimedJob, JobOutcome)} inside the transaction of the job's own write. */
  public boolean complete(Handle handle, ClaimedJob job, JobOutcome outcome) {
    if (outcome != JobOutcome.SUCCEEDED && outcome != JobOutcome.SKIPPED) {
      throw new IllegalArgumentException("a completed job succeeded or was skipped");
    }
    boolean done = handle.attach(JobQueueDao.class).complete(job.id(), job.attempts()) == 1;
    if (done) {
      outcomes.get(outcome).inc();
    }
    return done;
  }

  /**
   * Makes the job due again after {@code delay}, with its error.
   *
   * @param refund true to give the attempt back (a rate limit is not the job's failure)
   * @return false when the fence refused
   */
  public boolean retry(ClaimedJob job, Duration delay, boolean refund, String error) {
    boolean done =
        jdbi.withExtension(
                JobQueueDao.class,
                dao ->
                    dao.reschedule(
                        job.id(), job.attempts(), seconds(delay), refund ? 1 : 0, truncate(error)))
            == 1;
    if (done) {
      outcomes.get(JobOutcome.RETRIED).inc();
    }
    return done;
  }

  /**
   * Parks the job for good with its error: never due again, kept for an operator.
   *
   * @return false when the fence refused
   */
  public boolean park(ClaimedJob job, String error) {
    boolean done =
        jdbi.withExtension(
                JobQueueDao.class, dao -> dao.park(job.id(), job.attempts(), truncate(error)))
            == 1;
    if (done) {
      outcomes.get(JobOutcome.PARKED).inc();
    }
    return done;
  }

  private static double seconds(Duration d) {
    return d == null ? 0 : d.toMillis() / 1000.0;
  }

  private static String truncate(String s) {
    return s == null || s.length() <= ERROR_MAX ? s : s.substring(0, ERROR_MAX);
  }
}
