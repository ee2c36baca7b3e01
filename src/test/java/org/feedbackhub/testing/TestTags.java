package org.feedbackhub.testing;

/**
 * JUnit 5 tags that select suites. CI runs {@code -Dgroups=concurrency} once per PostgreSQL major
 * version ({@code -Ppg15} .. {@code -Ppg18}), because lock behaviour is the server's.
 */
public final class TestTags {
  /** Tests whose outcome depends on PostgreSQL's locking: the concurrency suite. */
  public static final String CONCURRENCY = "concurrency";

  private TestTags() {}
}
