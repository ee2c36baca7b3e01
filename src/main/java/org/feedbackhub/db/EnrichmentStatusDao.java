package org.feedbackhub.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The counts of {@code GET /v1/enrichment-status}, read in one statement (one snapshot). */
@RegisterConstructorMapper(EnrichmentStatusDao.Counts.class)
public interface EnrichmentStatusDao {
  /**
   * A tenant's enrichment counts. {@code textRecords} are the records eligible for sentiment and
   * emotions; failures count only while their record is still eligible, un-enriched and has the
   * text that failed.
   */
  record Counts(
      long textRecords,
      long sentimentDone,
      long emotionsLabelled,
      long emotionsEmpty,
      long translationEligible,
      long translationDone,
      long sentimentFailed,
      long sentimentTerminal,
      long emotionsFailed,
      long emotionsTerminal,
      long translationFailed,
      long translationTerminal) {}

  /**
   * Counts for {@code tenantId}; {@code target} is the translation target (null: translation counts
   * are 0).
   *
   * @implNote The main count is an index-only scan of {@code
   *     idx_feedback_records_enrichment_status} (the tenant's text records with the enrichment
   *     columns included), grouped first so the language test runs once per group, not per record
   *     (10-30% faster on 140k rows); markers and empty answers are joined to their records by
   *     primary key, so their cost follows their number, not the tenant's size.
   */
  @SqlQuery(
      """
      WITH groups AS (
          SELECT
              r.language,
              r.translation_lang_key,
              r.sentiment IS NOT NULL AS has_sentiment,
              r.emotions IS NOT NULL AS has_emotions,
              count(*) AS n
          FROM feedback_records r
          WHERE r.tenant_id = :tenantId
            AND r.field_type = 'text' AND r.value_text IS NOT NULL AND btrim(r.value_text) <> ''
          GROUP BY 1, 2, 3, 4
      ),
      records AS (
          SELECT
              COALESCE(sum(r.n), 0) AS text_records,
              COALESCE(sum(r.n) FILTER (WHERE r.has_sentiment), 0) AS sentiment_done,
              COALESCE(sum(r.n) FILTER (WHERE r.has_emotions), 0) AS emotions_labelled,
              COALESCE(sum(r.n) FILTER (
                  WHERE r.language IS NOT NULL AND lower(split_part(replace(r.language, '_', '-'), '-', 1)) <> lower(split_part(CAST(:target AS text), '-', 1))
              ), 0) AS translation_eligible,
              COALESCE(sum(r.n) FILTER (
                  WHERE r.language IS NOT NULL AND lower(split_part(replace(r.language, '_', '-'), '-', 1)) <> lower(split_part(CAST(:target AS text), '-', 1))
                    AND r.translation_lang_key = CAST(:target AS text)
              ), 0) AS translation_done
          FROM groups r
      ),
      empty AS (
          SELECT count(*) AS emotions_empty
          FROM feedback_record_enrichment_empty_results e
          JOIN feedback_records r ON r.id = e.feedback_record_id
          WHERE e.tenant_id = :tenantId
            AND e.enrichment = 'emotions'
            AND r.field_type = 'text' AND r.value_text IS NOT NULL AND btrim(r.value_text) <> ''
            AND r.emotions IS NULL
            AND md5(r.value_text) = e.text_hash
      ),
      failures AS (
          SELECT
              count(*) FILTER (WHERE f.enrichment = 'sentiment' AND NOT f.terminal) AS sentiment_failed,
              count(*) FILTER (WHERE f.enrichment = 'sentiment' AND f.terminal) AS sentiment_terminal,
              count(*) FILTER (WHERE f.enrichment = 'emotions' AND NOT f.terminal) AS emotions_failed,
              count(*) FILTER (WHERE f.enrichment = 'emotions' AND f.terminal) AS emotions_terminal,
              count(*) FILTER (WHERE f.enrichment = 'translation' AND NOT f.terminal) AS translation_failed,
              count(*) FILTER (WHERE f.enrichment = 'translation' AND f.terminal) AS translation_terminal
          FROM feedback_record_enrichment_failures f
          JOIN feedback_records r ON r.id = f.feedback_record_id
          WHERE f.tenant_id = :tenantId
            AND r.field_type = 'text' AND r.value_text IS NOT NULL AND btrim(r.value_text) <> ''
            AND md5(r.value_text) = f.text_hash
            AND CASE f.enrichment
                    WHEN 'sentiment' THEN r.sentiment IS NULL
                    WHEN 'emotions' THEN r.emotions IS NULL AND NOT EXISTS (
                        SELECT 1 FROM feedback_record_enrichment_empty_results e
                        WHERE e.feedback_record_id = r.id
                          AND e.enrichment = 'emotions'
                          AND e.text_hash = f.text_hash)
                    ELSE COALESCE(
                        r.language IS NOT NULL AND lower(split_part(replace(r.language, '_', '-'), '-', 1)) <> lower(split_part(CAST(:target AS text), '-', 1))
                          AND r.translation_lang_key IS DISTINCT FROM CAST(:target AS text),
                        false)
                END
      )
      SELECT * FROM records, empty, failures
      """)
  Counts counts(@Bind("tenantId") String tenantId, @Bind("target") String target);
}
