package org.feedbackhub.jobs;

/** How one attempt at a job ended, counted per topic. */
public enum JobOutcome {
  /** Done; the job is gone. */
  SUCCEEDED,
  /** Failed for now; due again after a backoff. */
  RETRIED,
  /** Failed for good (or unreadable); kept with its error, never due again. */
  PARKED,
  /** Nothing to do any more (its subject is gone or superseded); the job is gone. */
  SKIPPED;

  /** The metric label, e.g. {@code succeeded}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
