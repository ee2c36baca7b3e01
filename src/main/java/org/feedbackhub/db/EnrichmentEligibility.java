package org.feedbackhub.db;

/**
 * The SQL conditions of enrichment eligibility over {@code feedback_records r}, one source for the
 * status counts, the retry and the jobs.
 *
 * @implNote {@link #TEXT_RECORD} is also the predicate of {@code
 *     idx_feedback_records_enrichment_status}; a query must repeat it verbatim for the planner to
 *     use that partial index.
 */
public final class EnrichmentEligibility {
  private EnrichmentEligibility() {}

  /** A text record with a non-blank {@code value_text}: eligible for sentiment and emotions. */
  public static final String TEXT_RECORD =
      "r.field_type = 'text' AND r.value_text IS NOT NULL AND btrim(r.value_text) <> ''";

  /**
   * And, for translation, a language whose primary subtag differs from the target's ({@code
   * :target}; {@code en-GB} text is not translated for an {@code en-US} target). A record without a
   * language is not eligible: there is nothing to say it differs.
   */
  public static final String NEEDS_TRANSLATION =
      "r.language IS NOT NULL AND lower(split_part(replace(r.language, '_', '-'), '-', 1))"
          + " <> lower(split_part(CAST(:target AS text), '-', 1))";

  /** Translated into the target ({@code translation_lang_key} is stored normalised). */
  public static final String TRANSLATED = "r.translation_lang_key = CAST(:target AS text)";
}
