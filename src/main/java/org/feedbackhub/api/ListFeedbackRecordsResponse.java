package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One page of feedback records; {@code next_cursor} is present only when more rows exist. */
public record ListFeedbackRecordsResponse(
    List<FeedbackRecordData> data, int limit, @JsonProperty("next_cursor") String nextCursor) {}
