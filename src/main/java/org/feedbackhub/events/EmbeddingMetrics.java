package org.feedbackhub.events;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The embedding worker's metrics under the reference's Prometheus names, labels as the last name
 * segment: {@code hub_embedding_outcomes_total.<status>}, {@code
 * hub_embedding_worker_errors_total.<reason>}, {@code hub_embedding_duration_seconds.<status>},
 * {@code hub_embedding_provider_errors_total}. Jobs are enqueued inside the writes' own SQL
 * statements, so no enqueue counter is kept; the outbox holds the queue.
 */
public final class EmbeddingMetrics {
  public static final String OUTCOMES = "hub_embedding_outcomes_total";
  public static final String WORKER_ERRORS = "hub_embedding_worker_errors_total";
  public static final String DURATION = "hub_embedding_duration_seconds";
  public static final String PROVIDER_ERRORS = "hub_embedding_provider_errors_total";

  /** Outcome of one job attempt. */
  public enum Outcome {
    SUCCESS("success"),
    RETRY("retry"),
    FAILED_FINAL("failed_final"),
    SKIPPED("skipped");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final MetricRegistry registry;

  public EmbeddingMetrics(MetricRegistry registry) {
    this.registry = registry;
    for (Outcome outcome : Outcome.values()) {
      registry.counter(MetricRegistry.name(OUTCOMES, outcome.label()));
      registry.timer(MetricRegistry.name(DURATION, outcome.label()));
    }
    registry.counter(PROVIDER_ERRORS);
    registry.counter(MetricRegistry.name(WORKER_ERRORS, "tenant_write_conflict"));
  }

  public void outcome(Outcome outcome, long nanos) {
    registry.counter(MetricRegistry.name(OUTCOMES, outcome.label())).inc();
    Timer timer = registry.timer(MetricRegistry.name(DURATION, outcome.label()));
    timer.update(nanos, TimeUnit.NANOSECONDS);
  }

  public void workerError(String reason) {
    registry.counter(MetricRegistry.name(WORKER_ERRORS, reason)).inc();
  }

  public void providerError() {
    registry.counter(PROVIDER_ERRORS).inc();
  }
}
