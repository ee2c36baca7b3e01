package org.feedbackhub.enrichment;

import java.util.Optional;

/**
 * The three enrichments of a text record, with the name they carry on the wire and in the failure
 * and cooldown tables, and the prefix of their environment variables.
 */
public enum EnrichmentKind {
  TRANSLATION("translation"),
  SENTIMENT("sentiment"),
  EMOTIONS("emotions");

  private final String wireName;

  EnrichmentKind(String wireName) {
    this.wireName = wireName;
  }

  /** {@code translation}, {@code sentiment} or {@code emotions}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The job topic of the kind's live jobs, those enqueued with the write of a record: {@code
   * enrichment_translation}, {@code enrichment_sentiment} or {@code enrichment_emotions}. Payload
   * {@code {"record_id": "<uuid>"}}, the record's tenant in the job's tenant column.
   */
  public String liveTopic() {
    return "enrichment_" + wireName;
  }

  /**
   * The job topic of the kind's catch-up jobs (the reconcile sweep, a backlog after a tenant turned
   * the kind on, an operator's re-enqueue), run at {@code {KIND}_RECONCILE_MAX_CONCURRENT} beside
   * the live ones; same payload as {@link #liveTopic()}.
   */
  public String reconcileTopic() {
    return liveTopic() + "_reconcile";
  }

  /** {@code TRANSLATION}, {@code SENTIMENT} or {@code EMOTIONS}: the prefix of its variables. */
  public String envPrefix() {
    return name();
  }

  /** The kind named {@code name} on the wire, exactly (already trimmed). */
  public static Optional<EnrichmentKind> fromWireName(String name) {
    for (EnrichmentKind kind : values()) {
      if (kind.wireName.equals(name)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
