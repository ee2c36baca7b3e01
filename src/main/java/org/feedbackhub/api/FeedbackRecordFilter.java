package org.feedbackhub.api;

import java.time.Instant;

/** The filters shared by list and count of feedback records; null means "no filter". */
public record FeedbackRecordFilter(
    String tenantId,
    String submissionId,
    String sourceType,
    String sourceId,
    String fieldId,
    String fieldGroupId,
    String userId,
    String fieldType,
    String valueId,
    Instant since,
    Instant until) {}
