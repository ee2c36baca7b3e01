package org.feedbackhub.db;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A {@code webhooks} row; {@code tenantId} is null only on legacy rows. */
public record WebhookRow(
    UUID id,
    String url,
    String signingKey,
    boolean enabled,
    String tenantId,
    List<String> eventTypes,
    Instant createdAt,
    Instant updatedAt,
    String disabledReason,
    Instant disabledAt) {

  /** Whether an event of {@code eventType} is for this webhook (an empty filter takes all). */
  public boolean accepts(String eventType) {
    return eventTypes == null || eventTypes.isEmpty() || eventTypes.contains(eventType);
  }
}
