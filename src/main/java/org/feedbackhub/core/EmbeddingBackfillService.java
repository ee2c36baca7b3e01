package org.feedbackhub.core;

import java.util.List;
import java.util.UUID;
import org.feedbackhub.api.Validation;
import org.feedbackhub.db.EmbeddingJobDao;
import org.feedbackhub.db.EmbeddingJobDao.BackfillRow;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Jdbi;

/**
 * Enqueues embedding jobs for a tenant's text records that lack a vector of the current model, in
 * keyset pages, each page one transaction under the tenant write lock (its jobs are tenant-owned
 * rows a purge must not miss). Idempotent: records with a job queued are left alone.
 */
public final class EmbeddingBackfillService {
  /** Records looked at per page. */
  static final int PAGE_SIZE = 500;

  private final Jdbi jdbi;
  private final TenantWriteLock lock;
  private final String model;

  public EmbeddingBackfillService(Jdbi jdbi, TenantWriteLock lock, String model) {
    this.jdbi = jdbi;
    this.lock = lock;
    this.model = model;
  }

  /**
   * @return how many jobs were enqueued
   * @throws org.feedbackhub.api.ProblemException a {@code validation} problem for a bad tenant id
   * @throws org.feedbackhub.tenant.TenantWriteConflictException when the tenant is being purged
   */
  public long backfill(String rawTenantId) {
    Validation v = new Validation();
    String tenantId = v.tenantId("tenant_id", rawTenantId);
    v.throwIfInvalid();
    long enqueued = 0;
    UUID after = null;
    while (true) {
      UUID from = after;
      List<BackfillRow> page =
          jdbi.inTransaction(
              handle -> {
                lock.lockShared(handle, tenantId, "embedding.backfill");
                return handle
                    .attach(EmbeddingJobDao.class)
                    .backfillPage(tenantId, model, from, PAGE_SIZE);
              });
      if (page.isEmpty()) {
        return enqueued;
      }
      enqueued += page.get(0).enqueued();
      if (page.size() < PAGE_SIZE) {
        return enqueued;
      }
      after = page.get(page.size() - 1).id();
    }
  }
}
