package org.feedbackhub.api;

import java.util.List;

/** The event types a webhook can subscribe to; an empty filter means all of them. */
public final class WebhookEventTypes {
  public static final String FEEDBACK_RECORD_CREATED = "feedback_record.created";
  public static final String FEEDBACK_RECORD_UPDATED = "feedback_record.updated";
  public static final String FEEDBACK_RECORD_DELETED = "feedback_record.deleted";
  public static final String WEBHOOK_CREATED = "webhook.created";
  public static final String WEBHOOK_UPDATED = "webhook.updated";
  public static final String WEBHOOK_DELETED = "webhook.deleted";

  /** Every type, in the reference's order (the "must be one of" reason lists them so). */
  public static final List<String> ALL =
      List.of(
          FEEDBACK_RECORD_CREATED,
          FEEDBACK_RECORD_UPDATED,
          FEEDBACK_RECORD_DELETED,
          WEBHOOK_CREATED,
          WEBHOOK_UPDATED,
          WEBHOOK_DELETED);

  private WebhookEventTypes() {}
}
