package org.feedbackhub.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.jobs.Backoff;

/**
 * The records-only purge's settings ({@code recordsPurge} in {@code config.yml}): whether the
 * worker that runs its jobs is enabled, and the worker's settings (the tenants capability builds
 * both). The number of attempts is the contract's (5), not a setting.
 */
public class RecordsPurgeFactory {
  /** Attempts before a records-only purge is recorded failed. */
  public static final int MAX_ATTEMPTS = 5;

  /** The most a claim runs batches before it hands the job back. */
  private static final java.time.Duration CLAIM_BUDGET_MAX = java.time.Duration.ofSeconds(10);

  @JsonProperty private boolean workerEnabled = true;

  @JsonProperty
  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
  private Duration pollInterval = Duration.seconds(1);

  /** How long a claim owns its job; an instance that died gives its job up after this long. */
  @JsonProperty
  @Min(1)
  @Max(3600)
  private int leaseSeconds = 30;

  @JsonProperty @NotNull private Duration retryBackoffBase = Duration.seconds(1);

  public boolean isWorkerEnabled() {
    return workerEnabled;
  }

  public void setWorkerEnabled(boolean workerEnabled) {
    this.workerEnabled = workerEnabled;
  }

  /**
   * The worker's settings: retries wait base × 2^(n-1) (at most 16 × base); a claim runs batches
   * for a third of its lease (at most 10 s), so the lease never ends under a running claim.
   */
  public RecordsPurgeWorker.Settings settings() {
    java.time.Duration lease = java.time.Duration.ofSeconds(leaseSeconds);
    java.time.Duration third = lease.dividedBy(3);
    return new RecordsPurgeWorker.Settings(
        MAX_ATTEMPTS,
        Backoff.doublings(retryBackoffBase.toJavaDuration(), 4),
        lease,
        third.compareTo(CLAIM_BUDGET_MAX) < 0 ? third : CLAIM_BUDGET_MAX,
        pollInterval.toJavaDuration());
  }
}
