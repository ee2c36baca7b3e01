package org.feedbackhub.core;

import java.util.List;
import java.util.UUID;
import org.feedbackhub.api.CreateFeedbackRecordRequest;
import org.feedbackhub.api.DeleteFeedbackRecordsByUserResponse;
import org.feedbackhub.api.FeedbackRecordData;
import org.feedbackhub.api.FeedbackRecordFilter;
import org.feedbackhub.api.KeysetCursor;
import org.feedbackhub.api.ListFeedbackRecordsResponse;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.api.UpdateFeedbackRecordRequest;
import org.feedbackhub.db.FeedbackRecordChange;
import org.feedbackhub.db.FeedbackRecordCreateDao;
import org.feedbackhub.db.FeedbackRecordDao;
import org.feedbackhub.db.FeedbackRecordSearch;
import org.feedbackhub.db.NewFeedbackRecord;
import org.feedbackhub.db.SqlStates;
import org.feedbackhub.tenant.TenantConflictKind;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Feedback records: every write takes the tenant write lock (in the insert's own statement, or
 * first in its transaction) and writes its event to the outbox in the same transaction.
 */
public final class FeedbackRecordService {
  static final String RESOURCE = "feedback record";
  static final String DUPLICATE =
      "a feedback record with this tenant_id, submission_id, and field_id already exists";

  private final Jdbi jdbi;
  private final FeedbackRecordCreateDao creates;
  private final TenantWriteLock lock;
  private final FeedbackRecordSearch search;
  private final boolean embeddingsEnabled;

  public FeedbackRecordService(Jdbi jdbi, TenantWriteLock lock) {
    this(jdbi, lock, false);
  }

  /**
   * @param embeddingsEnabled whether text writes enqueue an embedding job in their own statement
   */
  public FeedbackRecordService(Jdbi jdbi, TenantWriteLock lock, boolean embeddingsEnabled) {
    this.jdbi = jdbi;
    this.creates = new FeedbackRecordCreateDao(jdbi);
    this.lock = lock;
    this.search = new FeedbackRecordSearch(jdbi);
    this.embeddingsEnabled = embeddingsEnabled;
  }

  public FeedbackRecordData create(CreateFeedbackRecordRequest request) {
    NewFeedbackRecord record = FeedbackRecordValidator.validate(request);
    try {
      return creates
          .createGated(record, lock.gateKey(record.tenantId()), embeddingsEnabled)
          .orElseThrow(
              () -> lock.conflict(TenantConflictKind.WRITER_REFUSED, "feedback_record.create"));
    } catch (UnableToExecuteStatementException e) {
      if (SqlStates.UNIQUE_VIOLATION.equals(SqlStates.of(e))) {
        throw ProblemException.conflict(DUPLICATE);
      }
      throw e;
    }
  }

  public FeedbackRecordData get(UUID id) {
    return jdbi.withExtension(FeedbackRecordDao.class, dao -> dao.findById(id))
        .orElseThrow(() -> ProblemException.notFound(RESOURCE));
  }

  public ListFeedbackRecordsResponse list(
      FeedbackRecordFilter filter, KeysetCursor cursor, int limit) {
    List<FeedbackRecordData> rows = search.list(filter, cursor, limit + 1);
    if (rows.size() <= limit) {
      return new ListFeedbackRecordsResponse(rows, limit, null);
    }
    List<FeedbackRecordData> page = rows.subList(0, limit);
    FeedbackRecordData last = page.get(limit - 1);
    return new ListFeedbackRecordsResponse(
        List.copyOf(page), limit, new KeysetCursor(last.collectedAt(), last.id()).encode());
  }

  public long count(FeedbackRecordFilter filter) {
    return search.count(filter);
  }

  /**
   * Applies a partial update. An empty patch returns the current row and takes no lock and writes
   * no event.
   */
  public FeedbackRecordData update(UUID id, UpdateFeedbackRecordRequest request) {
    FeedbackRecordChange change = FeedbackRecordValidator.validate(request);
    List<String> changedFields = request.changedFields();
    if (changedFields.isEmpty()) {
      return get(id);
    }
    return jdbi.inTransaction(
        handle -> {
          FeedbackRecordDao dao = handle.attach(FeedbackRecordDao.class);
          String tenantId =
              dao.findTenantId(id).orElseThrow(() -> ProblemException.notFound(RESOURCE));
          lock.lockShared(handle, tenantId, "feedback_record.update");
          return dao.update(
                  id, tenantId, change, changedFields.toArray(String[]::new), embeddingsEnabled)
              .orElseThrow(() -> ProblemException.notFound(RESOURCE));
        });
  }

  public void delete(UUID id) {
    jdbi.useTransaction(
        handle -> {
          FeedbackRecordDao dao = handle.attach(FeedbackRecordDao.class);
          String tenantId =
              dao.findTenantId(id).orElseThrow(() -> ProblemException.notFound(RESOURCE));
          lock.lockShared(handle, tenantId, "feedback_record.delete");
          dao.deleteById(id, tenantId).orElseThrow(() -> ProblemException.notFound(RESOURCE));
        });
  }

  /**
   * Erases a user's records (GDPR Art. 17) in one tenant or, with {@code tenantId} null, in all:
   * every spanned tenant is locked, all or nothing, and a drift guard rolls the erase back when a
   * record of the user appeared meanwhile in a tenant it did not lock.
   */
  public DeleteFeedbackRecordsByUserResponse deleteByUser(String userId, String tenantId) {
    return jdbi.inTransaction(
        handle -> {
          FeedbackRecordDao dao = handle.attach(FeedbackRecordDao.class);
          List<String> tenants = dao.tenantsOfUser(userId, tenantId);
          if (tenants.isEmpty()) {
            return DeleteFeedbackRecordsByUserResponse.of(0);
          }
          lock.lockShared(handle, tenants, "feedback_record.delete_by_user");
          long deleted = dao.deleteByUserInTenants(userId, tenants.toArray(String[]::new));
          if (dao.userHasRecords(userId, tenantId)) {
            throw lock.conflict(TenantConflictKind.DRIFT_GUARD, "feedback_record.delete_by_user");
          }
          return DeleteFeedbackRecordsByUserResponse.of(deleted);
        });
  }
}
