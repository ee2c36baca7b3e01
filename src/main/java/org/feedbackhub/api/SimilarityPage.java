package org.feedbackhub.api;

/**
 * The paging parameters of semantic search and similar. Out-of-range values are clamped, not
 * rejected, and a value that is not a number falls back to the default, as in the reference.
 */
public record SimilarityPage(int limit, double minScore, SimilarityCursor cursor) {
  public static final int DEFAULT_LIMIT = 10;
  public static final int MAX_LIMIT = 100;
  public static final double DEFAULT_MIN_SCORE = 0.7;

  /**
   * Reads the raw query parameters.
   *
   * @throws ProblemException a {@code validation} problem for a malformed cursor
   */
  public static SimilarityPage parse(String limit, String minScore, String cursor) {
    int pageSize = DEFAULT_LIMIT;
    if (limit != null && !limit.isBlank()) {
      try {
        pageSize = Math.max(1, Math.min(MAX_LIMIT, Integer.parseInt(limit.trim())));
      } catch (NumberFormatException e) {
        pageSize = DEFAULT_LIMIT;
      }
    }
    double score = DEFAULT_MIN_SCORE;
    if (minScore != null && !minScore.isBlank()) {
      try {
        double parsed = Double.parseDouble(minScore.trim());
        score = Double.isNaN(parsed) ? DEFAULT_MIN_SCORE : Math.max(0, Math.min(1, parsed));
      } catch (NumberFormatException e) {
        score = DEFAULT_MIN_SCORE;
      }
    }
    return new SimilarityPage(pageSize, score, SimilarityCursor.decode(cursor));
  }
}
