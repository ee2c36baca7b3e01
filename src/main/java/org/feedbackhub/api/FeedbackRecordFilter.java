package org.feedbackhub.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The filters shared by list and count of feedback records, ANDed together: each listed filter
 * matches any of its values, each range is inclusive at both ends (a null end is open), and each
 * presence test asks whether an enrichment is there. An absent filter matches everything.
 *
 * @param anyOf the listed filters given, each with at least one value
 * @param present the presence tests given: true asks for the value, false for its absence
 */
public record FeedbackRecordFilter(
    String tenantId,
    Map<Listed, List<String>> anyOf,
    Range<Instant> collectedAt,
    Range<Instant> createdAt,
    Range<Instant> updatedAt,
    Range<Double> valueNumber,
    Range<Instant> valueDate,
    Range<Double> sentimentScore,
    Map<Presence, Boolean> present) {

  public FeedbackRecordFilter {
    anyOf = Map.copyOf(anyOf);
    present = Map.copyOf(present);
  }

  /** A filter on the tenant alone. */
  public static FeedbackRecordFilter tenant(String tenantId) {
    Range<Instant> none = Range.open();
    return new FeedbackRecordFilter(
        tenantId, Map.of(), none, none, none, Range.open(), none, Range.open(), Map.of());
  }

  /** The filters that match a record whose column equals one of the values. */
  public enum Listed {
    SUBMISSION_ID,
    SOURCE_TYPE,
    SOURCE_ID,
    SOURCE_NAME,
    FIELD_ID,
    FIELD_GROUP_ID,
    FIELD_TYPE,
    VALUE_ID,
    USER_ID,
    LANGUAGE,
    SENTIMENT,
    /** Matches a record having any of the given labels. */
    EMOTIONS
  }

  /** The enrichments a filter can ask to be present or absent. */
  public enum Presence {
    SENTIMENT,
    EMOTIONS,
    /** Tested on {@code translation_lang_key}. */
    TRANSLATION
  }

  /** Inclusive bounds; a null bound is open. */
  public record Range<T>(T min, T max) {
    public static <T> Range<T> open() {
      return new Range<>(null, null);
    }
  }
}
