package org.feedbackhub.core;

import com.codahale.metrics.CachedGauge;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.db.RecordsPurgeHistoryDao;
import org.jdbi.v3.core.Jdbi;

/**
 * The records-only purges in state running on the database, read at most every two seconds; the
 * last value while the database cannot be read, so a metrics scrape never fails with it. The same
 * on every instance: aggregate with max, not sum.
 */
final class RecordsPurgesRunningGauge extends CachedGauge<Long> {
  private final Jdbi jdbi;
  private volatile long last;

  RecordsPurgesRunningGauge(Jdbi jdbi) {
    super(2, TimeUnit.SECONDS);
    this.jdbi = jdbi;
  }

  @Override
  protected Long loadValue() {
    try {
      last = jdbi.withExtension(RecordsPurgeHistoryDao.class, RecordsPurgeHistoryDao::runningCount);
    } catch (RuntimeException databaseUnavailable) {
      // keep the last value
    }
    return last;
  }
}
