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
