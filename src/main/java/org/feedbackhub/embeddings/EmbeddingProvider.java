package org.feedbackhub.embeddings;

import java.util.List;
import java.util.OptionalInt;

/** A source of sentence embeddings: one call turns a batch of texts into one vector each. */
public interface EmbeddingProvider extends AutoCloseable {
  /** The model name stored beside every vector this provider makes. */
  String model();

  /** The dimension the provider declares, if it declares one. */
  OptionalInt dimension();

  /**
   * Embeds {@code texts}, in order.
   *
   * @throws EmbeddingProviderException when the provider is unreachable, refuses or rate-limits
   */
  List<float[]> embed(List<String> texts);

  @Override
  default void close() {}
}
