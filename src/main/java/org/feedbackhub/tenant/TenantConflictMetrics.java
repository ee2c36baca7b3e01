package org.feedbackhub.tenant;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

/**
 * Counts tenant write conflicts by direction and operation, as {@code
 * tenant_write_conflicts.<direction>.<operation>} plus a per-direction and an overall total. These
 * are "tenant write conflicts", not PostgreSQL's recovery conflicts.
 */
public final class TenantConflictMetrics {
  /** Prefix of every conflict counter. */
  public static final String PREFIX = "tenant_write_conflicts";

  private final MetricRegistry registry;
  private final Counter total;

  public TenantConflictMetrics(MetricRegistry registry) {
    this.registry = registry;
    this.total = registry.counter(MetricRegistry.name(PREFIX, "total"));
    for (TenantConflictKind kind : TenantConflictKind.values()) {
      registry.counter(MetricRegistry.name(PREFIX, kind.metricName(), "total"));
    }
  }

  public void record(TenantConflictKind kind, String operation) {
    total.inc();
    registry.counter(MetricRegistry.name(PREFIX, kind.metricName(), "total")).inc();
    registry.counter(MetricRegistry.name(PREFIX, kind.metricName(), operation)).inc();
  }
}
