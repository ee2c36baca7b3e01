package org.feedbackhub.db;

import java.sql.Types;
import java.util.Optional;
import org.feedbackhub.api.FeedbackRecordData;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;

/**
 * The gated create of a feedback record, the hottest statement of the service.
 *
 * @implNote Runs on a handle of its own rather than as a SQL object: Jdbi attaches a SQL object
 *     anew on every {@code withExtension} call, copying its configuration for the instance and for
 *     each method, which cost 13% of the service's CPU under a create load even for a one-method
 *     interface. Each value is bound as a ready {@link Argument}: binding the record through its
 *     accessors ({@code bindMethods}) looked every accessor up again per statement, and binding
 *     plain values has Jdbi choose an argument factory for each value's type anew per statement,
 *     each about 3% of that CPU. The leading comment names the statement in {@code
 *     pg_stat_activity} as {@link NamedStatementTemplateEngine} does for SQL objects.
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
              COALESCE(CAST(:collectedAt AS timestamptz), now()), :sourceType, :sourceId,
              :sourceName, :fieldId, :fieldLabel, CAST(:fieldType AS field_type_enum),
              :fieldGroupId, :fieldGroupLabel, :valueText, :valueId,
              CAST(:valueNumber AS double precision), CAST(:valueBoolean AS boolean),
              CAST(:valueDate AS timestamptz), CAST(:metadata AS jsonb), :language,
              :userId, :tenantId, :submissionId
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
                .bind("collectedAt", value(record.collectedAt(), Types.TIMESTAMP_WITH_TIMEZONE))
                .bind("sourceType", text(record.sourceType()))
                .bind("sourceId", text(record.sourceId()))
                .bind("sourceName", text(record.sourceName()))
                .bind("fieldId", text(record.fieldId()))
                .bind("fieldLabel", text(record.fieldLabel()))
                .bind("fieldType", text(record.fieldType()))
                .bind("fieldGroupId", text(record.fieldGroupId()))
                .bind("fieldGroupLabel", text(record.fieldGroupLabel()))
                .bind("valueText", text(record.valueText()))
                .bind("valueId", text(record.valueId()))
                .bind("valueNumber", value(record.valueNumber(), Types.DOUBLE))
                .bind("valueBoolean", value(record.valueBoolean(), Types.BOOLEAN))
                .bind("valueDate", value(record.valueDate(), Types.TIMESTAMP_WITH_TIMEZONE))
                .bind("metadata", text(record.metadata()))
                .bind("language", text(record.language()))
                .bind("userId", text(record.userId()))
                .bind("tenantId", text(record.tenantId()))
                .bind("submissionId", text(record.submissionId()))
                .bind("lockKey", text(lockKey))
                .bind("embed", value(embed, Types.BOOLEAN))
                .map(MAPPER)
                .findOne());
  }

  private static Argument text(String value) {
    return (position, statement, context) -> statement.setString(position, value);
  }

  /** {@code value}, or SQL NULL, as {@code sqlType}. */
  private static Argument value(Object value, int sqlType) {
    return (position, statement, context) -> statement.setObject(position, value, sqlType);
  }
}
