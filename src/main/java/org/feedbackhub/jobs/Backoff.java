package org.feedbackhub.jobs;

import java.time.Duration;

/**
 * The one retry schedule of every worker: attempt n waits {@code base * 2^(n-1)}, at most {@code
 * cap}.
 *
 * @param base the wait after the first failed attempt
 * @param cap the longest wait; {@link #doublings} expresses "at most so many doublings"
 */
public record Backoff(Duration base, Duration cap) {
  public Backoff {
    if (base.isNegative() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 <= base <= cap");
    }
  }

  /**
   * A schedule that doubles at most {@code maxDoublings} times: its cap is {@code base * 2^max}.
   */
  public static Backoff doublings(Duration base, int maxDoublings) {
    return new Backoff(base, base.multipliedBy(1L << maxDoublings));
  }

  /** How long to wait after failed attempt {@code attempt} (1 for the first). */
  public Duration after(int attempt) {
    Duration delay = base;
    for (int i = 1; i < attempt && delay.compareTo(cap) < 0 && !delay.isZero(); i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(cap) > 0 ? cap : delay;
  }
}
