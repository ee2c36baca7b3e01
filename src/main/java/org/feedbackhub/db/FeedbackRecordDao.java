package org.feedbackhub.db;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.feedbackhub.api.FeedbackRecordData;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * SQL of the {@code feedback_records} table. Every write here either gates itself on the tenant
 * write lock in the same statement or runs inside a transaction that took it first.
 */
@RegisterRowMapper(FeedbackRecordMapper.class)
public interface FeedbackRecordDao extends SqlObject {
  /** True in an UPDATE's SET when the patch gives a {@code value_text} that differs. */
  String TEXT_CHANGED =
      "(CAST(:c.valueText AS text) IS NOT NULL AND value_text IS DISTINCT FROM CAST(:c.valueText AS text))";

  /** True in an UPDATE's SET when the patch gives a {@code language} that differs. */
  String LANGUAGE_CHANGED =
      "(CAST(:c.language AS varchar) IS NOT NULL AND language IS DISTINCT FROM CAST(:c.language AS varchar))";

  @SqlQuery(
      """
      SELECT *
      FROM feedback_records
      WHERE id = :id
      """)
  Optional<FeedbackRecordData> findById(@Bind("id") UUID id);

  @SqlQuery(
      """
      SELECT tenant_id
      FROM feedback_records
      WHERE id = :id
      """)
  Optional<String> findTenantId(@Bind("id") UUID id);

  /**
   * Applies {@code change} to a record of {@code tenantId} and writes its {@code
   * feedback_record.updated} event. Changing {@code value_text} clears the enrichment derived from
   * it; changing {@code language} clears the translation.
   *
   * <p>With {@code embed}, a text record whose {@code value_text} changed also gets an embedding
   * job (an empty text clears its vector).
   *
   * @return the updated row, or empty when no row of that id and tenant exists
   * @implNote Column references in SET read the row's old values, which is how a changed text is
   *     told from a repeated one; {@code previous} reads them for the embedding job. The worker
   *     embeds whatever text is current when it runs, so a job from a raced update still converges.
   */
  @SqlQuery(
      """
      WITH previous AS (
          SELECT id, value_text
          FROM feedback_records
          WHERE id = :id
            AND tenant_id = :tenantId
      ),
      updated AS (
          UPDATE feedback_records
          SET value_text = COALESCE(CAST(:c.valueText AS text), value_text),
              value_id = COALESCE(CAST(:c.valueId AS varchar), value_id),
              value_number = COALESCE(CAST(:c.valueNumber AS double precision), value_number),
              value_boolean = COALESCE(CAST(:c.valueBoolean AS boolean), value_boolean),
              value_date = COALESCE(CAST(:c.valueDate AS timestamptz), value_date),
              metadata = COALESCE(CAST(:c.metadata AS jsonb), metadata),
              language = COALESCE(CAST(:c.language AS varchar), language),
              user_id = COALESCE(CAST(:c.userId AS varchar), user_id),
              sentiment = CASE WHEN """
          + TEXT_CHANGED
          + """
                  THEN NULL ELSE sentiment END,
              sentiment_score = CASE WHEN """
          + TEXT_CHANGED
          + """
                  THEN NULL ELSE sentiment_score END,
              emotions = CASE WHEN """
          + TEXT_CHANGED
          + """
                  THEN NULL ELSE emotions END,
              value_text_translated = CASE WHEN """
          + TEXT_CHANGED
          + " OR "
          + LANGUAGE_CHANGED
          + """
                  THEN NULL ELSE value_text_translated END,
              translation_lang_key = CASE WHEN """
          + TEXT_CHANGED
          + " OR "
          + LANGUAGE_CHANGED
          + """
                  THEN NULL ELSE translation_lang_key END,
              updated_at = now()
          WHERE id = :id
            AND tenant_id = :tenantId
          RETURNING *
      ),
      updated_event AS (
          INSERT INTO outbox_messages (topic, event_type, tenant_id, payload)
          SELECT 'event', 'feedback_record.updated', tenant_id,
                 jsonb_build_object(
                     'data', jsonb_strip_nulls(to_jsonb(updated) - 'tenant_id_was_null'),
                     'changed_fields', to_jsonb(CAST(:changedFields AS text[])))
          FROM updated
      ),
      embedding_job AS (
          INSERT INTO outbox_messages (topic, tenant_id, payload)
          SELECT 'embedding', u.tenant_id, jsonb_build_object('feedback_record_id', u.id)
          FROM updated u
          JOIN previous p ON p.id = u.id
          WHERE CAST(:embed AS boolean)
            AND u.field_type = 'text'
            AND u.value_text IS DISTINCT FROM p.value_text
      )
      SELECT *
      FROM updated
      """)
  Optional<FeedbackRecordData> update(
      @Bind("id") UUID id,
      @Bind("tenantId") String tenantId,
      @BindMethods("c") FeedbackRecordChange change,
      @Bind("changedFields") String[] changedFields,
      @Bind("embed") boolean embed);

  /**
   * Deletes a record of {@code tenantId} and writes its {@code feedback_record.deleted} event.
   *
   * @return the deleted id, or empty when no row of that id and tenant exists
   */
  @SqlQuery(
      """
      WITH deleted AS (
          DELETE FROM feedback_records
          WHERE id = :id
            AND tenant_id = :tenantId
          RETURNING id, tenant_id
      ),
      deleted_event AS (
          INSERT INTO outbox_messages (topic, event_type, tenant_id, payload)
          SELECT 'event', 'feedback_record.deleted', tenant_id,
                 jsonb_build_object('data', jsonb_build_array(id))
          FROM deleted
      )
      SELECT id
      FROM deleted
      """)
  Optional<UUID> deleteById(@Bind("id") UUID id, @Bind("tenantId") String tenantId);

  /** The tenants holding records of a user, sorted; {@code tenantId} null means all tenants. */
  @SqlQuery(
      """
      SELECT DISTINCT tenant_id
      FROM feedback_records
      WHERE user_id = :userId
        AND (CAST(:tenantId AS varchar) IS NULL OR tenant_id = :tenantId)
      ORDER BY tenant_id
      """)
  List<String> tenantsOfUser(@Bind("userId") String userId, @Bind("tenantId") String tenantId);

  /**
   * Deletes a user's records in the locked tenants and writes one {@code feedback_record.deleted}
   * event per tenant, whose data is the array of that tenant's deleted ids.
   *
   * @return how many records were deleted
   */
  @SqlQuery(
      """
      WITH deleted AS (
          DELETE FROM feedback_records
          WHERE user_id = :userId
            AND tenant_id = ANY(CAST(:tenantIds AS varchar[]))
          RETURNING id, tenant_id
      ),
      deleted_events AS (
          INSERT INTO outbox_messages (topic, event_type, tenant_id, payload)
          SELECT 'event', 'feedback_record.deleted', tenant_id,
                 jsonb_build_object('data', jsonb_agg(id ORDER BY id))
          FROM deleted
          GROUP BY tenant_id
      )
      SELECT count(*)
      FROM deleted
      """)
  long deleteByUserInTenants(@Bind("userId") String userId, @Bind("tenantIds") String[] tenantIds);

  /** Whether a record of the user remains in scope; the GDPR erase's drift guard. */
  @SqlQuery(
      """
      SELECT EXISTS (
          SELECT 1
          FROM feedback_records
          WHERE user_id = :userId
            AND (CAST(:tenantId AS varchar) IS NULL OR tenant_id = :tenantId)
      )
      """)
  boolean userHasRecords(@Bind("userId") String userId, @Bind("tenantId") String tenantId);
}
