package org.feedbackhub.tenant;

/**
 * A tenant-owned write and a tenant data purge collided: a writer found the tenant under purge, or
 * a purge timed out waiting for writers. Always retryable; never a 500.
 *
 * @implNote Carries no stack trace: it is an expected answer, not a fault, and while a purge runs a
 *     busy tenant's writers raise it thousands of times a second; filling in a trace through
 *     Jetty's and Jersey's frames was 3% of the service's CPU on that path.
 */
public class TenantWriteConflictException extends RuntimeException {
  /** A writer was refused because a purge of its tenant is queued or running. */
  public static final String WRITER_REFUSED =
      "tenant data purge in progress for this tenant; retry later";

  /** The purge gave up waiting for in-flight writers. */
  public static final String PURGE_TIMED_OUT = "tenant-owned writes in progress; retry purge later";

  /** A webhook changed tenant between the resolve step and the write. */
  public static final String WEBHOOK_MOVED = "webhook was modified concurrently; retry later";

  /** The GDPR erase found new records of its subject after deleting. */
  public static final String ERASURE_DRIFT =
      "feedback records for this user changed during deletion; retry";

  private final TenantConflictKind kind;

  public TenantWriteConflictException(TenantConflictKind kind) {
    super(kind.detail(), null, false, false);
    this.kind = kind;
  }

  public TenantConflictKind kind() {
    return kind;
  }
}
