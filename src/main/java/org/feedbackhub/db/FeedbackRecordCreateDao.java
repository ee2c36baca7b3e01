package org.feedbackhub.db;

import java.util.Optional;
import org.feedbackhub.api.FeedbackRecordData;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Jdbi;

/**
 * The gated create of a feedback record, the hottest statement of the service.
 *
 * @implNote Runs on a handle of its own rather than as a SQL object: Jdbi attaches a SQL object
 *     anew on every {@code withExtension} call, copying its configuration for the instance and for
 *     each method, which cost 13% of the service's CPU under a create load even for a one-method
 *     interface. The leading comment names the statement in {@code pg_stat_activity} as {@link
 *     NamedStatementTemplateEngine} does for SQL objects.
 */
public final class FeedbackRecordCreateDao {
  /**
   * Inserts a record and its {@code feedback_record.created} event (and, with {@code :embed}, its
   * embedding job) in one statement, gated on the tenant's shared write lock: in autocommit the
   * statement is the transaction, so the lock is held exactly as long as the insert.
   */
  static final String CREATE_GATED =
      "/* FeedbackRecordCreateDao.createGated */ "
          + """
      WITH inserted AS (
          INSERT INTO feedback_records (
              collected_at, source_type, source_id, source_name, field_id, field_label, field_type,
              field_group_id, field_group_label, value_text, value_id, value_number, value_boolean,
              value_date, metadata, language, user_id, tenant_id, submission_id)
          SELECT
              COALESCE(CAST(:r.collectedAt AS timestamptz), now()), :r.sourceType, :r.sourceId,
              :r.sourceName, :r.fieldId, :r.fieldLabel, CAST(:r.fieldType AS field_type_enum),
              :r.fieldGroupId, :r.fieldGroupLabel, :r.valueText, :r.valueId,
              CAST(:r.valueNumber AS double precision), CAST(:r.valueBoolean AS boolean),
              CAST(:r.valueDate AS timestamptz), CAST(:r.metadata AS jsonb), :r.language,
              :r.userId, :r.tenantId, :r.submissionId
          WHERE\s"""
          + TenantWriteLock.GATE
          + """

          RETURNING *
      ),
      created_event AS (
          INSERT INTO outbox_messages (topic, event_type, tenant_id, payload)
          SELECT 'event', 'feedback_record.created', tenant_id,
                 jsonb_build_object('data', jsonb_strip_nulls(to_jsonb(inserted) - 'tenant_id_was_null'))
          FROM inserted
      ),
      embedding_job AS (
          INSERT INTO outbox_messages (topic, tenant_id, payload)
          SELECT 'embedding', tenant_id, jsonb_build_object('feedback_record_id', id)
          FROM inserted
          WHERE CAST(:embed AS boolean)
            AND field_type = 'text'
            AND btrim(COALESCE(value_text, '')) <> ''
      )
      SELECT *
      FROM inserted
      """;

  private static final FeedbackRecordMapper MAPPER = new FeedbackRecordMapper();

  private final Jdbi jdbi;

  public FeedbackRecordCreateDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * @return the row, or empty when the lock was refused (a purge holds or waits for the tenant)
   * @implNote A unique violation (SQLSTATE 23505) still surfaces as an exception: the duplicate
   *     triple is checked only after the gate has passed.
   */
  public Optional<FeedbackRecordData> createGated(
      NewFeedbackRecord record, String lockKey, boolean embed) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(CREATE_GATED)
                .bindMethods("r", record)
                .bind("lockKey", lockKey)
                .bind("embed", embed)
                .map(MAPPER)
                .findOne());
  }
}
