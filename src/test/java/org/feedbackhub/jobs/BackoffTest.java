package org.feedbackhub.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one retry schedule: doubling from the base, never past the cap. */
class BackoffTest {
  @Test
  void doublesFromTheBaseUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.after(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.after(5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aDoublingsCapKeepsTheOldExponentCaps() {
    // The embedding worker waited base * 2^min(16, n-1), the taxonomy start worker 2^min(20, n-1).
    Backoff embedding = Backoff.doublings(Duration.ofMillis(500), 16);
    assertThat(embedding.after(17)).isEqualTo(Duration.ofMillis(500).multipliedBy(1L << 16));
    assertThat(embedding.after(40)).isEqualTo(Duration.ofMillis(500).multipliedBy(1L << 16));
    assertThat(embedding.after(3)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aZeroBaseNeverWaitsAndAFirstAttemptWaitsTheBase() {
    assertThat(new Backoff(Duration.ZERO, Duration.ofHours(1)).after(50)).isZero();
    assertThat(new Backoff(Duration.ofSeconds(3), Duration.ofHours(1)).after(0))
        .isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aCapBelowTheBaseIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
