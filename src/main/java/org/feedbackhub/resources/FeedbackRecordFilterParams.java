package org.feedbackhub.resources;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.Explode;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.feedbackhub.api.FeedbackRecordFilter;
import org.feedbackhub.api.FeedbackRecordFilter.Listed;
import org.feedbackhub.api.FeedbackRecordFilter.Presence;
import org.feedbackhub.api.FieldTypes;
import org.feedbackhub.api.Validation;
import org.feedbackhub.enrichment.EnrichmentLabels;

/**
 * The query parameters shared by list and count of feedback records (spec api-next.md E): filters
 * AND across parameters and OR within a repeated one. The fields are public because the OpenAPI
 * reader documents only visible bean parameters; the enum and free-text rules live in {@link
 * FilterValues} and {@link ListedParams}.
 */
public class FeedbackRecordFilterParams {
  /** Most characters of a {@code language} value (the column is {@code varchar(10)}). */
  static final int LANGUAGE_MAX = 10;

  private static final String REPEAT = "Repeatable (OR): ?x=a&x=b. A comma is part of the value.";
  private static final String ENUM =
      "Repeatable (OR): ?x=a&x=b; comma-separated values are split (x=a%2Cb), empty ones ignored.";

  @QueryParam("tenant_id")
  @Parameter(required = true, schema = @Schema(maxLength = Validation.ID_MAX))
  public String tenantId;

  @QueryParam("submission_id")
  @Parameter(
      description = REPEAT,
      explode = Explode.TRUE,
      array = @ArraySchema(maxItems = 100, schema = @Schema(maxLength = 255)))
  public List<String> submissionId;

  @QueryParam("source_type")
  @Parameter(
      description = REPEAT,
      explode = Explode.TRUE,
      array = @ArraySchema(maxItems = 100, schema = @Schema(maxLength = 255)))
  public List<String> sourceType;

  @QueryParam("source_id")
  @Parameter(
      description = REPEAT,
      explode = Explode.TRUE,
      array = @ArraySchema(maxItems = 100, schema = @Schema(maxLength = 255)))
  public List<String> sourceId;

  @QueryParam("source_name")
  @Parameter(
      description = REPEAT,
      explode = Explode.TRUE,
      array = @ArraySchema(maxItems = 100, schema = @Schema(maxLength = 255)))
  public List<String> sourceName;

  @QueryParam("field_id")
  @Parameter(
      description = REPEAT,
      explode = Explode.TRUE,
      array = @ArraySchema(maxItems = 100, schema = @Schema(maxLength = 255)))
  public List<String> fieldId;

  @QueryParam("field_group_id")
  @Parameter(
      description = REPEAT,
      explode = Explode.TRUE,
      array = @ArraySchema(maxItems = 100, schema = @Schema(maxLength = 255)))
  public List<String> fieldGroupId;

  @QueryParam("value_id")
  @Parameter(
      description = REPEAT,
      explode = Explode.TRUE,
      array = @ArraySchema(maxItems = 100, schema = @Schema(maxLength = 255)))
  public List<String> valueId;

  @QueryParam("user_id")
  @Parameter(
      description = REPEAT,
      explode = Explode.TRUE,
      array = @ArraySchema(maxItems = 100, schema = @Schema(maxLength = 255)))
  public List<String> userId;

  @QueryParam("language")
  @Parameter(
      description = REPEAT,
      explode = Explode.TRUE,
      array = @ArraySchema(maxItems = 100, schema = @Schema(maxLength = 10)))
  public List<String> language;

  @QueryParam("field_type")
  @Parameter(
      description = ENUM,
      explode = Explode.TRUE,
      array =
          @ArraySchema(
              maxItems = 9,
              schema =
                  @Schema(
                      allowableValues = {
                        "text",
                        "categorical",
                        "nps",
                        "csat",
                        "ces",
                        "rating",
                        "number",
                        "boolean",
                        "date"
                      })))
  public List<String> fieldType;

  @QueryParam("sentiment")
  @Parameter(
      description = ENUM,
      explode = Explode.TRUE,
      array =
          @ArraySchema(
              maxItems = 6,
              schema =
                  @Schema(
                      allowableValues = {
                        "very_negative",
                        "negative",
                        "neutral",
                        "positive",
                        "very_positive",
                        "mixed"
                      })))
  public List<String> sentiment;

  @QueryParam("emotions")
  @Parameter(
      description = ENUM + " Matches a record having any of the labels.",
      explode = Explode.TRUE,
      array =
          @ArraySchema(
              maxItems = 6,
              schema =
                  @Schema(
                      allowableValues = {
                        "joy",
                        "anger",
                        "sadness",
                        "fear",
                        "surprise",
                        "disgust"
                      })))
  public List<String> emotions;

  @QueryParam("since")
  @Parameter(
      description = "collected_at >= since (RFC 3339)",
      schema = @Schema(format = "date-time"))
  public String since;

  @QueryParam("until")
  @Parameter(
      description = "collected_at <= until (RFC 3339)",
      schema = @Schema(format = "date-time"))
  public String until;

  @QueryParam("created_since")
  @Parameter(description = "created_at >= created_since", schema = @Schema(format = "date-time"))
  public String createdSince;

  @QueryParam("created_until")
  @Parameter(description = "created_at <= created_until", schema = @Schema(format = "date-time"))
  public String createdUntil;

  @QueryParam("updated_since")
  @Parameter(description = "updated_at >= updated_since", schema = @Schema(format = "date-time"))
  public String updatedSince;

  @QueryParam("updated_until")
  @Parameter(description = "updated_at <= updated_until", schema = @Schema(format = "date-time"))
  public String updatedUntil;

  @QueryParam("value_number_min")
  @Parameter(
      description = "value_number >= min; NULLs excluded",
      schema = @Schema(implementation = Double.class))
  public String valueNumberMin;

  @QueryParam("value_number_max")
  @Parameter(
      description = "value_number <= max; NULLs excluded",
      schema = @Schema(implementation = Double.class))
  public String valueNumberMax;

  @QueryParam("value_date_min")
  @Parameter(
      description = "value_date >= min; NULLs excluded",
      schema = @Schema(format = "date-time"))
  public String valueDateMin;

  @QueryParam("value_date_max")
  @Parameter(
      description = "value_date <= max; NULLs excluded",
      schema = @Schema(format = "date-time"))
  public String valueDateMax;

  @QueryParam("sentiment_score_min")
  @Parameter(
      description = "sentiment_score >= min; unenriched excluded",
      schema = @Schema(implementation = Double.class, minimum = "-1", maximum = "1"))
  public String sentimentScoreMin;

  @QueryParam("sentiment_score_max")
  @Parameter(
      description = "sentiment_score <= max; unenriched excluded",
      schema = @Schema(implementation = Double.class, minimum = "-1", maximum = "1"))
  public String sentimentScoreMax;

  @QueryParam("has_sentiment")
  @Parameter(schema = @Schema(implementation = Boolean.class))
  public String hasSentiment;

  @QueryParam("has_emotions")
  @Parameter(schema = @Schema(implementation = Boolean.class))
  public String hasEmotions;

  @QueryParam("has_translation")
  @Parameter(
      description = "tests translation_lang_key",
      schema = @Schema(implementation = Boolean.class))
  public String hasTranslation;

  /** The filter, with every rule violation added to {@code v}. */
  FeedbackRecordFilter toFilter(Validation v) {
    FilterValues values = new FilterValues(v);
    String tenant = v.tenantId("tenant_id", tenantId);
    return new FeedbackRecordFilter(
        tenant,
        ListedParams.read(this, values),
        times(values, "since", since, "until", until),
        times(values, "created_since", createdSince, "created_until", createdUntil),
        times(values, "updated_since", updatedSince, "updated_until", updatedUntil),
        values.pair(
            "value_number_min",
            values.number(
                "value_number_min",
                valueNumberMin,
                -Validation.NUMBER_LIMIT,
                Validation.NUMBER_LIMIT,
                "must be between -1e15 and 1e15"),
            "value_number_max",
            values.number(
                "value_number_max",
                valueNumberMax,
                -Validation.NUMBER_LIMIT,
                Validation.NUMBER_LIMIT,
                "must be between -1e15 and 1e15")),
        times(values, "value_date_min", valueDateMin, "value_date_max", valueDateMax),
        values.pair(
            "sentiment_score_min",
            values.number(
                "sentiment_score_min", sentimentScoreMin, -1, 1, "must be between -1 and 1"),
            "sentiment_score_max",
            values.number(
                "sentiment_score_max", sentimentScoreMax, -1, 1, "must be between -1 and 1")),
        presence(v));
  }

  private static FeedbackRecordFilter.Range<Instant> times(
      FilterValues values, String minName, String min, String maxName, String max) {
    return values.pair(minName, values.time(minName, min), maxName, values.time(maxName, max));
  }

  private Map<Presence, Boolean> presence(Validation v) {
    Map<Presence, Boolean> present = new EnumMap<>(Presence.class);
    putIfGiven(present, Presence.SENTIMENT, v.optionalBoolean("has_sentiment", hasSentiment));
    putIfGiven(present, Presence.EMOTIONS, v.optionalBoolean("has_emotions", hasEmotions));
    putIfGiven(present, Presence.TRANSLATION, v.optionalBoolean("has_translation", hasTranslation));
    return present;
  }

  private static <K, V> void putIfGiven(Map<K, V> map, K key, V value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  /** The listed filters, read from the repeated parameters in a fixed order. */
  static final class ListedParams {
    private ListedParams() {}

    static Map<Listed, List<String>> read(FeedbackRecordFilterParams p, FilterValues values) {
      Map<Listed, List<String>> anyOf = new EnumMap<>(Listed.class);
      int id = Validation.ID_MAX;
      put(anyOf, Listed.SUBMISSION_ID, values.texts("submission_id", p.submissionId, id));
      put(anyOf, Listed.SOURCE_TYPE, values.texts("source_type", p.sourceType, id));
      put(anyOf, Listed.SOURCE_ID, values.texts("source_id", p.sourceId, id));
      put(anyOf, Listed.SOURCE_NAME, values.texts("source_name", p.sourceName, id));
      put(anyOf, Listed.FIELD_ID, values.texts("field_id", p.fieldId, id));
      put(anyOf, Listed.FIELD_GROUP_ID, values.texts("field_group_id", p.fieldGroupId, id));
      put(anyOf, Listed.VALUE_ID, values.texts("value_id", p.valueId, id));
      put(anyOf, Listed.USER_ID, values.texts("user_id", p.userId, id));
      put(anyOf, Listed.LANGUAGE, values.texts("language", p.language, LANGUAGE_MAX));
      put(anyOf, Listed.FIELD_TYPE, values.enums("field_type", p.fieldType, FieldTypes.ALL, 9));
      put(
          anyOf,
          Listed.SENTIMENT,
          values.enums("sentiment", p.sentiment, EnrichmentLabels.SENTIMENTS, 6));
      put(
          anyOf,
          Listed.EMOTIONS,
          values.enums("emotions", p.emotions, EnrichmentLabels.EMOTIONS, 6));
      return anyOf;
    }

    private static void put(Map<Listed, List<String>> anyOf, Listed key, List<String> given) {
      if (!given.isEmpty()) {
        anyOf.put(key, given);
      }
    }
  }
}
