package org.feedbackhub.tenant;

/**
 * The direction of a tenant write conflict, as counted in metrics and named in the problem detail.
 */
public enum TenantConflictKind {
  /** A writer's shared try-lock was refused: a purge holds or waits for the tenant's key. */
  WRITER_REFUSED("writer_refused", TenantWriteConflictException.WRITER_REFUSED),
  /** The purge's bounded wait for in-flight writers ran out (SQLSTATE 55P03). */
  PURGE_TIMED_OUT("purge_timed_out", TenantWriteConflictException.PURGE_TIMED_OUT),
  /** The GDPR erase found records of its subject it had not locked. */
  DRIFT_GUARD("drift_guard", TenantWriteConflictException.ERASURE_DRIFT),
  /** A row changed tenant between resolving it and writing it. */
  CONCURRENT_MODIFICATION("concurrent_modification", TenantWriteConflictException.WEBHOOK_MOVED);

  private final String metricName;
  private final String detail;

  TenantConflictKind(String metricName, String detail) {
    this.metricName = metricName;
    this.detail = detail;
  }

  public String metricName() {
    return metricName;
  }

  public String detail() {
    return detail;
  }
}
