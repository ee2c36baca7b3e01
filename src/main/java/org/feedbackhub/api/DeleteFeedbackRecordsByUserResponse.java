package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The result of a GDPR erase by user. */
public record DeleteFeedbackRecordsByUserResponse(
    @JsonProperty("deleted_count") long deletedCount, String message) {

  public static DeleteFeedbackRecordsByUserResponse of(long deleted) {
    return new DeleteFeedbackRecordsByUserResponse(
        deleted, "Successfully deleted " + deleted + " feedback records");
  }
}
