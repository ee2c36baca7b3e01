package org.feedbackhub.tenant;

/**
 * A tenant-owned write and a tenant data purge collided: a writer found the tenant under purge, or
 * a purge timed out waiting for writers. Always retryable; never a 500.
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
    super(kind.detail());
    this.kind = kind;
  }

  public TenantConflictKind kind() {
    return kind;
  }
}
