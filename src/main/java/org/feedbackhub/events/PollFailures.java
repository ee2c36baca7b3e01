package org.feedbackhub.events;

import org.feedbackhub.db.SqlStates;
import org.slf4j.Logger;

/**
 * Logs a background worker's failed round: a lost database is expected during an outage and gets
 * one WARN line per round, anything else is a bug and gets ERROR with its stack trace.
 */
final class PollFailures {
  private PollFailures() {}

  static void log(Logger log, String round, RuntimeException e) {
    if (SqlStates.isConnectionFailure(e)) {
      log.warn(
          "{} failed, the database is unavailable; retrying at the next poll: {}",
          round,
          SqlStates.summary(e));
    } else {
      log.error("{} failed; retrying at the next poll", round, e);
    }
  }
}
