package org.feedbackhub.modules;

import java.util.Optional;
import java.util.OptionalInt;
import org.feedbackhub.StartupException;
import org.feedbackhub.db.EmbeddingDao;
import org.feedbackhub.embeddings.Embedder;
import org.feedbackhub.embeddings.EmbeddingProvider;
import org.feedbackhub.embeddings.EmbeddingsFactory;
import org.jdbi.v3.core.Jdbi;

/**
 * The embedder of the configured provider, or none when {@code EMBEDDING_PROVIDER} is unset: what
 * records, search and taxonomy need to know of embeddings.
 */
public record Embeddings(Optional<Embedder> embedder) {

  /** Builds the configured provider's embedder; a bad provider setting fails the startup. */
  public static Embeddings of(EmbeddingsFactory settings, Jdbi jdbi) {
    EmbeddingProvider provider;
    try {
      provider = settings.build().orElse(null);
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage());
    }
    if (provider == null) {
      return new Embeddings(Optional.empty());
    }
    return new Embeddings(
        Optional.of(
            new Embedder(
                provider,
                settings.isNormalize(),
                () ->
                    jdbi.withExtension(
                            EmbeddingDao.class, dao -> dao.storedDimension(provider.model()))
                        .map(OptionalInt::of)
                        .orElse(OptionalInt.empty()))));
  }

  public boolean enabled() {
    return embedder.isPresent();
  }
}
