package org.feedbackhub.enrichment;

import java.util.List;

/** What a provider answered for one text: the values to store on the record. */
public sealed interface EnrichmentResult {
  /** A translation into {@code languageKey} (stored as {@code translation_lang_key}). */
  record Translation(String text, String languageKey) implements EnrichmentResult {}

  /** A sentiment label with its score, already clamped to -1..1. */
  record Sentiment(String label, double score) implements EnrichmentResult {}

  /** The emotions found, distinct, in label order; empty means none (store nothing, done). */
  record Emotions(List<String> emotions) implements EnrichmentResult {}
}
