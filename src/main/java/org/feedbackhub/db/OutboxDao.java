package org.feedbackhub.db;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Writes to the transactional outbox: events ({@code topic = 'event'}, payload {@code {"data": ...,
 * "changed_fields": [...]}}) and jobs, committed in the same transaction as the write that caused
 * them. The row's id is the event id; its {@code created_at} the event timestamp.
 */
public interface OutboxDao {
  /** Topic of events delivered to webhooks. */
  String EVENT = "event";

  /** Topic of embedding jobs. */
  String EMBEDDING = "embedding";

  /** Topic of taxonomy start jobs. */
  String TAXONOMY_START = "taxonomy_start";

  @SqlUpdate(
      """
      INSERT INTO outbox_messages (topic, event_type, tenant_id, payload)
      VALUES (:topic, :eventType, :tenantId, CAST(:payload AS jsonb))
      """)
  void insert(
      @Bind("topic") String topic,
      @Bind("eventType") String eventType,
      @Bind("tenantId") String tenantId,
      @Bind("payload") String payloadJson);
}
