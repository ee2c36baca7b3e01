package org.feedbackhub.enrichment;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider call that gave no result, classified for the job: a rate limit gives the attempt back
 * and waits {@code retryAfter}; a retryable failure uses an attempt; a terminal one will never
 * succeed for this text. {@code errorClass} names the cause for metrics and logs, never the
 * provider's own message (which may quote the text).
 */
public final class EnrichmentProviderException extends RuntimeException {
  /** How the job treats the failure. */
  public enum Outcome {
    RATE_LIMITED,
    RETRYABLE,
    TERMINAL
  }

  /** The failure marker reason of every retryable failure. */
  public static final String PROVIDER_ERROR = "provider_error";

  private final Outcome outcome;
  private final String errorClass;
  private final transient Duration retryAfter;

  private EnrichmentProviderException(
      Outcome outcome, String errorClass, Duration retryAfter, Throwable cause) {
    super(outcome.name().toLowerCase(java.util.Locale.ROOT) + ": " + errorClass, cause);
    this.outcome = outcome;
    this.errorClass = errorClass;
    this.retryAfter = retryAfter;
  }

  /** A 429; {@code retryAfter} is the provider's hint, or null. */
  public static EnrichmentProviderException rateLimited(Duration retryAfter) {
    return new EnrichmentProviderException(Outcome.RATE_LIMITED, "rate_limited", retryAfter, null);
  }

  /** A 5xx, a timeout, an unreachable or unparsable answer: worth another attempt. */
  public static EnrichmentProviderException retryable(String errorClass, Throwable cause) {
    return new EnrichmentProviderException(Outcome.RETRYABLE, errorClass, null, cause);
  }

  /**
   * The provider will never accept this text: {@code content_policy}, {@code refusal} or {@code
   * input_too_long}, stored as the failure marker's reason.
   */
  public static EnrichmentProviderException terminal(String reason) {
    return new EnrichmentProviderException(Outcome.TERMINAL, reason, null, null);
  }

  public Outcome outcome() {
    return outcome;
  }

  /** The cause's class: {@code http_5xx}, {@code timeout}, {@code refusal}, ... */
  public String errorClass() {
    return errorClass;
  }

  /** The reason a failure marker stores: the terminal class, or {@code provider_error}. */
  public String markerReason() {
    return outcome == Outcome.TERMINAL ? errorClass : PROVIDER_ERROR;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
