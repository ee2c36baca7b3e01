package org.feedbackhub.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.junit.jupiter.api.Test;

/**
 * The status counts spell out {@link EnrichmentEligibility}'s conditions (a partial index is only
 * used for its predicate as written), so this keeps the two from drifting apart.
 */
class EnrichmentEligibilityTest {
  @Test
  void theStatusCountsUseTheConditionsVerbatim() throws Exception {
    String sql =
        EnrichmentStatusDao.class
            .getMethod("counts", String.class, String.class)
            .getAnnotation(SqlQuery.class)
            .value()
            .replaceAll("\\s+", " ");
    assertThat(sql)
        .contains(EnrichmentEligibility.TEXT_RECORD)
        .contains(EnrichmentEligibility.NEEDS_TRANSLATION)
        .contains(EnrichmentEligibility.TRANSLATED);
  }
}
