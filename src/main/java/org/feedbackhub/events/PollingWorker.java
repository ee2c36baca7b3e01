package org.feedbackhub.events;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A background worker that polls: one daemon thread runs {@link #poll} with a fixed delay between
 * rounds and, for a worker whose rounds hand work off, a bounded pool of daemon threads runs that
 * work ({@link #execute}). The worker writes the round; starting and stopping the threads is here.
 */
abstract class PollingWorker implements Managed {
  /** How long {@link #stop} waits for a round in progress to end once it is interrupted. */
  private static final Duration ROUND_STOP_TIMEOUT = Duration.ofSeconds(5);

  /**
   * The pool a round hands work to.
   *
   * @param threadPrefix thread names are this prefix and a count
   * @param size the most threads running work at once
   * @param drainTimeout how long {@link #stop} lets work in flight finish before interrupting it
   */
  record Pool(String threadPrefix, int size, Duration drainTimeout) {}

  private final String threadName;
  private final Duration initialDelay;
  private final Duration interval;
  private final Pool pool;
  private ScheduledExecutorService poller;
  private ExecutorService workers;

  /** A worker whose rounds do all their work on the poller thread. */
  PollingWorker(String threadName, Duration initialDelay, Duration interval) {
    this(threadName, initialDelay, interval, null);
  }

  /** A worker whose first round runs at once and whose rounds hand work to {@code pool}. */
  PollingWorker(String threadName, Duration interval, Pool pool) {
    this(threadName, Duration.ZERO, interval, pool);
  }

  private PollingWorker(String threadName, Duration initialDelay, Duration interval, Pool pool) {
    this.threadName = threadName;
    this.initialDelay = initialDelay;
    this.interval = interval;
    this.pool = pool;
  }

  /**
   * One round.
   *
   * @implNote It must catch its own failures ({@link PollFailures}): an exception escaping a round
   *     would end the schedule silently.
   */
  abstract void poll();

  @Override
  public final void start() {
    if (pool != null) {
      ThreadPoolExecutor executor =
          new ThreadPoolExecutor(
              pool.size(),
              pool.size(),
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              countedThreads(pool.threadPrefix()));
      // Threads exist only while work runs: an idle instance keeps none of them.
      executor.allowCoreThreadTimeOut(true);
      workers = executor;
    }
    poller =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> daemon(new Thread(runnable, threadName)));
    poller.scheduleWithFixedDelay(
        this::poll, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Interrupts the round in progress and schedules no more, then lets the pool's work in flight
   * finish within the pool's drain timeout before interrupting it.
   */
  @Override
  public final void stop() throws InterruptedException {
    poller.shutdownNow();
    poller.awaitTermination(ROUND_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (workers == null) {
      return;
    }
    workers.shutdown();
    if (!workers.awaitTermination(pool.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
      workers.shutdownNow();
    }
  }

  /** Runs a round's work on the pool; only a worker built with a {@link Pool} has one. */
  final void execute(Runnable work) {
    workers.execute(work);
  }

  private static ThreadFactory countedThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> daemon(new Thread(runnable, prefix + count.incrementAndGet()));
  }

  private static Thread daemon(Thread thread) {
    thread.setDaemon(true);
    return thread;
  }
}
