package org.feedbackhub.enrichment;

import java.util.List;

/**
 * The closed label sets of sentiment and emotions, the same as the CHECK constraints on {@code
 * feedback_records.sentiment} and {@code feedback_records.emotions}.
 */
public final class EnrichmentLabels {
  /** The six sentiment labels, most negative first. */
  public static final List<String> SENTIMENTS =
      List.of("very_negative", "negative", "neutral", "positive", "very_positive", "mixed");

  /** The six emotions. */
  public static final List<String> EMOTIONS =
      List.of("joy", "anger", "sadness", "fear", "surprise", "disgust");

  private EnrichmentLabels() {}
}
