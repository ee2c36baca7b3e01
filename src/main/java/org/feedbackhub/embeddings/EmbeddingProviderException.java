package org.feedbackhub.embeddings;

import java.time.Duration;

/**
 * The embedding provider failed. A rate limit (HTTP 429) is told apart because it does not consume
 * a job attempt; {@code retryAfter} is the provider's hint, when it gave one.
 */
public class EmbeddingProviderException extends RuntimeException {
  private final boolean rateLimited;
  private final transient Duration retryAfter;

  public EmbeddingProviderException(String message, boolean rateLimited, Duration retryAfter) {
    super(message);
    this.rateLimited = rateLimited;
    this.retryAfter = retryAfter;
  }

  public EmbeddingProviderException(String message, Throwable cause) {
    super(message, cause);
    this.rateLimited = false;
    this.retryAfter = null;
  }

  public boolean rateLimited() {
    return rateLimited;
  }

  /** The provider's {@code Retry-After}, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
