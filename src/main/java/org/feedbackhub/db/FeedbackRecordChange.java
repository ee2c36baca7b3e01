package org.feedbackhub.db;

import java.time.OffsetDateTime;

/**
 * The fields a PATCH sets; a null field is left unchanged. Bound by name into {@link
 * FeedbackRecordDao#update}.
 */
public record FeedbackRecordChange(
    String valueText,
    String valueId,
    Double valueNumber,
    Boolean valueBoolean,
    OffsetDateTime valueDate,
    String metadata,
    String language,
    String userId) {}
