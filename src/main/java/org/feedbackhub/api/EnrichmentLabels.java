package org.feedbackhub.api;

import java.util.List;

/** The closed label sets of the sentiment and emotions enrichments (the table's CHECKs). */
public final class EnrichmentLabels {
  public static final List<String> SENTIMENTS =
      List.of("very_negative", "negative", "neutral", "positive", "very_positive", "mixed");

  public static final List<String> EMOTIONS =
      List.of("joy", "anger", "sadness", "fear", "surprise", "disgust");

  private EnrichmentLabels() {}
}
