package org.feedbackhub.db;

import java.time.OffsetDateTime;

/**
 * A validated feedback record ready to insert by {@link FeedbackRecordCreateDao}.
 *
 * @param collectedAt null means "now" in the database's clock
 * @param metadata the metadata object as JSON text, or null
 */
public record NewFeedbackRecord(
    OffsetDateTime collectedAt,
    String sourceType,
    String sourceId,
    String sourceName,
    String fieldId,
    String fieldLabel,
    String fieldType,
    String fieldGroupId,
    String fieldGroupLabel,
    String valueText,
    String valueId,
    Double valueNumber,
    Boolean valueBoolean,
    OffsetDateTime valueDate,
    String metadata,
    String language,
    String userId,
    String tenantId,
    String submissionId) {}
