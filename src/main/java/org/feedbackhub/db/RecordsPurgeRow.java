package org.feedbackhub.db;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One records-only purge as its history row stands: state, the high-water mark taken at acceptance
 * (null when the tenant had no records then), and the counts of its batches so far.
 */
public record RecordsPurgeRow(
    UUID id,
    String tenantId,
    String state,
    UUID highWaterMark,
    int attempts,
    int batchesDone,
    long deletedFeedbackRecords,
    long deletedEmbeddings,
    long deletedTaxonomyClusterMemberships,
    long deletedPendingMessages,
    long deletedPendingDeliveries,
    long deletedTaxonomyRuns,
    long deletedTaxonomyClusters,
    long deletedTaxonomyNodes,
    long deletedTaxonomyActiveRuns,
    long deletedTaxonomyNodeEvents,
    long lockWaitMs,
    OffsetDateTime acceptedAt,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt,
    String error) {
  public static final String ACCEPTED = "accepted";
  public static final String RUNNING = "running";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";

  /** Whether the purge is still to run or running (not completed, not failed). */
  public boolean active() {
    return ACCEPTED.equals(state) || RUNNING.equals(state);
  }
}
