package org.feedbackhub.modules;

import java.time.Duration;
import org.feedbackhub.admin.AdminResponses;
import org.feedbackhub.admin.BackfillEmbeddingsServlet;
import org.feedbackhub.admin.ServletTask;
import org.feedbackhub.core.EmbeddingBackfillService;
import org.feedbackhub.core.SemanticSearchService;
import org.feedbackhub.db.OutboxDao;
import org.feedbackhub.embeddings.Embedder;
import org.feedbackhub.embeddings.EmbeddingsFactory;
import org.feedbackhub.events.EmbeddingMetrics;
import org.feedbackhub.events.EmbeddingWorker;
import org.feedbackhub.jobs.JobQueue;
import org.feedbackhub.resources.SemanticSearchResource;

/**
 * Embeddings and semantic search: the search resource (503 without an embedder), and with an
 * embedder its backfill task and, unless switched off, the embedding worker.
 */
public final class SearchCapability {
  private SearchCapability() {}

  public static Capability build(Infrastructure infra, Embeddings embeddings) {
    EmbeddingsFactory settings = infra.configuration().getEmbeddings();
    Embedder embedder = embeddings.embedder().orElse(null);
    SemanticSearchService search =
        new SemanticSearchService(
            infra.jdbi(),
            embedder,
            settings.getSearchCacheMaxVectors(),
            settings.getSearchCacheMaxTenants(),
            settings.getSearchCacheRevalidateAfter().toJavaDuration(),
            infra
                .environment()
                .lifecycle()
                .executorService("search-cache-check-%d")
                .minThreads(1)
                .maxThreads(1)
                .build(),
            infra.metrics());
    infra.metrics().registerGauge("hub_embedding_search_cached_vectors", search::cachedVectors);
    Capability.Builder capability =
        Capability.builder().resource(new SemanticSearchResource(search));
    if (embedder == null) {
      return capability.build();
    }
    capability
        .adminServlet(
            "backfill-embeddings",
            new BackfillEmbeddingsServlet(
                new EmbeddingBackfillService(infra.jdbi(), infra.lock(), embedder.model()),
                new AdminResponses(infra.objectMapper())),
            BackfillEmbeddingsServlet.PATH)
        .adminTask(new ServletTask(BackfillEmbeddingsServlet.PATH));
    if (settings.isWorkerEnabled()) {
      Duration timeout = Duration.ofSeconds(settings.getHttpTimeoutSeconds());
      capability.managed(
          new EmbeddingWorker(
              new JobQueue(infra.jdbi(), OutboxDao.EMBEDDING, infra.metrics()),
              infra.jdbi(),
              embedder,
              infra.lock(),
              new EmbeddingMetrics(infra.metrics()),
              new EmbeddingWorker.Settings(
                  settings.getMaxConcurrent(),
                  settings.getMaxAttempts(),
                  settings.getBatchSize(),
                  settings.getPollInterval().toJavaDuration(),
                  settings.getRetryBackoffBase().toJavaDuration(),
                  // The lease outlives a provider call twice over: no second instance embeds a
                  // batch still in flight.
                  timeout.multipliedBy(2).plusSeconds(10))));
    }
    return capability.build();
  }
}
