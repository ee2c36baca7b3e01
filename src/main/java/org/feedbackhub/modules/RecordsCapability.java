package org.feedbackhub.modules;

import org.feedbackhub.core.FeedbackRecordService;
import org.feedbackhub.resources.FeedbackRecordsResource;
import org.feedbackhub.resources.HealthResource;

/** Feedback records: the health probe and the records resource. */
public final class RecordsCapability {
  private RecordsCapability() {}

  /**
   * @param embeddings whether records enqueue embedding jobs: only when an embedder is configured
   */
  public static Capability build(Infrastructure infra, Embeddings embeddings) {
    return Capability.builder()
        .resource(new HealthResource())
        .resource(
            new FeedbackRecordsResource(
                new FeedbackRecordService(infra.jdbi(), infra.lock(), embeddings.enabled())))
        .build();
  }
}
