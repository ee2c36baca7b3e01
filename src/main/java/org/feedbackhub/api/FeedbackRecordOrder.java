package org.feedbackhub.api;

import java.util.List;

/**
 * The order of a feedback-record list: by {@code sort} in {@code order}, ties broken by {@code id}
 * ascending in both orders, so paging is deterministic.
 */
public record FeedbackRecordOrder(String sort, String order) {
  public static final String COLLECTED_AT = "collected_at";
  public static final String CREATED_AT = "created_at";
  public static final String DESC = "desc";
  public static final String ASC = "asc";

  public static final List<String> SORTS = List.of(COLLECTED_AT, CREATED_AT);
  public static final List<String> ORDERS = List.of(DESC, ASC);

  public static final FeedbackRecordOrder DEFAULT = new FeedbackRecordOrder(COLLECTED_AT, DESC);

  public FeedbackRecordOrder {
    if (!SORTS.contains(sort) || !ORDERS.contains(order)) {
      throw new IllegalArgumentException("unknown sort or order");
    }
  }

  public boolean byCreatedAt() {
    return CREATED_AT.equals(sort);
  }

  public boolean ascending() {
    return ASC.equals(order);
  }

  public boolean isDefault() {
    return equals(DEFAULT);
  }
}
