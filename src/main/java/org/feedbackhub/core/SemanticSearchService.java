package org.feedbackhub.core;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.api.SemanticSearchHit;
import org.feedbackhub.api.SemanticSearchResponse;
import org.feedbackhub.api.SimilarityCursor;
import org.feedbackhub.api.SimilarityPage;
import org.feedbackhub.api.Validation;
import org.feedbackhub.core.SimilarityRanking.Candidate;
import org.feedbackhub.db.BinaryTransfer;
import org.feedbackhub.db.EmbeddingDao;
import org.feedbackhub.db.EmbeddingDao.RecordSummary;
import org.feedbackhub.db.EmbeddingDao.SourceVector;
import org.feedbackhub.db.EmbeddingDao.StoredVector;
import org.feedbackhub.db.Vectors;
import org.feedbackhub.embeddings.Embedder;
import org.feedbackhub.embeddings.EmbeddingProviderException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Semantic search and similar records: exact cosine similarity over one tenant's vectors of the
 * current model, from the {@link TenantVectorCache} (a {@link CandidateScan} over its codes, then
 * the candidates ranked exactly from the table) or, for a tenant too big for it, streamed from the
 * database with bounded memory. Answers 503 when embeddings are off, and search answers 503 when
 * the provider it needs for the query is down.
 */
public final class SemanticSearchService {
  private static final Logger LOG = LoggerFactory.getLogger(SemanticSearchService.class);
  static final String NOT_CONFIGURED =
      "embeddings are not configured: set EMBEDDING_PROVIDER (and EMBEDDING_MODEL)";
  static final String PROVIDER_DOWN = "the embedding provider is unavailable; retry later";
  static final int DEFAULT_CACHE_MAX_TENANTS = 1000;
  private static final int EXACT_SLICE = 5000;

  private final Jdbi jdbi;
  private final Embedder embedder;
  private final TenantVectorCache cache;
  private final CandidateScan scan;
  private final Timer embedTimer;
  private final Timer rankTimer;

  /**
   * @param embedder null when embeddings are off
   * @param cacheMaxVectors how many vectors the in-memory cache may hold across tenants
   * @param revalidateAfter how old a cached tenant may get before a background check; zero checks
   *     inline on every search
   * @param background runs those checks
   */
  public SemanticSearchService(
      Jdbi jdbi,
      Embedder embedder,
      int cacheMaxVectors,
      Duration revalidateAfter,
      Executor background) {
    this(jdbi, embedder, cacheMaxVectors, revalidateAfter, background, new MetricRegistry());
  }

  /**
   * @param metrics where the timers {@code hub_semantic_search_embed_seconds} (the query's vector)
   *     and {@code hub_semantic_search_rank_seconds} (cache check, ranking and the hits' rows) go
   */
  public SemanticSearchService(
      Jdbi jdbi,
      Embedder embedder,
      int cacheMaxVectors,
      Duration revalidateAfter,
      Executor background,
      MetricRegistry metrics) {
    this(
        jdbi,
        embedder,
        cacheMaxVectors,
        DEFAULT_CACHE_MAX_TENANTS,
        revalidateAfter,
        background,
        metrics);
  }

  /**
   * @param cacheMaxTenants how many (tenant, model) entries the cache may hold
   */
  public SemanticSearchService(
      Jdbi jdbi,
      Embedder embedder,
      int cacheMaxVectors,
      int cacheMaxTenants,
      Duration revalidateAfter,
      Executor background,
      MetricRegistry metrics) {
    this.embedTimer = metrics.timer("hub_semantic_search_embed_seconds");
    this.rankTimer = metrics.timer("hub_semantic_search_rank_seconds");
    this.jdbi = jdbi;
    this.embedder = embedder;
    this.cache =
        new TenantVectorCache(jdbi, cacheMaxVectors, cacheMaxTenants, revalidateAfter, background);
    this.scan = new CandidateScan(QuantizedDot.fastest());
  }

  /** Vectors currently cached, for a gauge. */
  public long cachedVectors() {
    return cache.size();
  }

  /** (Tenant, model) entries currently cached. */
  public int cachedTenants() {
    return cache.entries();
  }

  public SemanticSearchResponse search(String rawQuery, String rawTenantId, SimilarityPage page) {
    Validation v = new Validation();
    String query = v.requiredText("query", rawQuery, 30_000);
    if (query != null && v.isValid() && query.isBlank()) {
      v.add("query", "must not be empty or whitespace");
    }
    String tenantId = v.tenantId("tenant_id", rawTenantId);
    v.throwIfInvalid();
    Embedder model = requireEnabled();
    float[] vector;
    try (Timer.Context ignored = embedTimer.time()) {
      vector = model.embed(query);
    } catch (EmbeddingProviderException | Embedder.DimensionMismatchException e) {
      LOG.warn("semantic search could not embed its query: {}", e.getMessage());
      throw ProblemException.serviceUnavailable(PROVIDER_DOWN);
    }
    return rank(tenantId, vector, page, null);
  }

  public SemanticSearchResponse similar(UUID id, SimilarityPage page) {
    Embedder model = requireEnabled();
    SourceVector source =
        jdbi.withExtension(EmbeddingDao.class, dao -> dao.source(id, model.model()))
            .orElseThrow(() -> ProblemException.notFound(FeedbackRecordService.RESOURCE));
    if (source.data() == null) {
      throw ProblemException.notFound("embedding");
    }
    return rank(source.tenantId(), Vectors.fromArraySend(source.data()), page, id);
  }

  private Embedder requireEnabled() {
    if (embedder == null) {
      throw ProblemException.serviceUnavailable(NOT_CONFIGURED);
    }
    return embedder;
  }

  private SemanticSearchResponse rank(
      String tenantId, float[] query, SimilarityPage page, UUID exclude) {
    try (Timer.Context ignored = rankTimer.time()) {
      return rankTimed(tenantId, query, page, exclude);
    }
  }

  private SemanticSearchResponse rankTimed(
      String tenantId, float[] query, SimilarityPage page, UUID exclude) {
    SimilarityRanking ranking =
        new SimilarityRanking(query, page.minScore(), page.cursor(), exclude, page.limit() + 1);
    String model = embedder.model();
    VectorSnapshot snapshot = cache.get(tenantId, model);
    if (snapshot != null) {
      int[] candidates =
          scan.candidates(
              snapshot, query, page.minScore(), page.cursor(), exclude, page.limit() + 1);
      rankExactly(snapshot, candidates, model, ranking);
    } else {
      jdbi.useTransaction(
          handle -> {
            handle.addCustomizer(new BinaryTransfer());
            try (Stream<StoredVector> rows =
                handle.attach(EmbeddingDao.class).streamAll(tenantId, model)) {
              rows.forEach(
                  row -> {
                    float[] vector = Vectors.fromArraySend(row.data());
                    ranking.offer(row.id(), vector, SimilarityRanking.norm(vector));
                  });
            }
          });
    }
    List<Candidate> best = ranking.best();
    List<Candidate> shown = best.size() > page.limit() ? best.subList(0, page.limit()) : best;
    return new SemanticSearchResponse(
        hits(tenantId, shown),
        page.limit(),
        best.size() > page.limit() ? cursorOf(shown.get(shown.size() - 1)) : null);
  }

  /**
   * Ranks the scan's candidates from their stored floats, the same arithmetic as the streamed path,
   * so a page is the one an exact ranking of every vector gives. A vector deleted since the
   * snapshot drops out here; one re-embedded since is ranked as it is now.
   */
  private void rankExactly(
      VectorSnapshot snapshot, int[] candidates, String model, SimilarityRanking ranking) {
    for (int from = 0; from < candidates.length; from += EXACT_SLICE) {
      int to = Math.min(candidates.length, from + EXACT_SLICE);
      UUID[] ids = new UUID[to - from];
      for (int i = from; i < to; i++) {
        ids[i - from] = snapshot.ids()[candidates[i]];
      }
      for (StoredVector stored :
          jdbi.withExtension(EmbeddingDao.class, dao -> dao.vectors(ids, model))) {
        float[] vector = Vectors.fromArraySend(stored.data());
        ranking.offer(stored.id(), vector, SimilarityRanking.norm(vector));
      }
    }
  }

  /** The hits in rank order; a record deleted since its vector was read drops out. */
  private List<SemanticSearchHit> hits(String tenantId, List<Candidate> candidates) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    Map<UUID, RecordSummary> summaries = new HashMap<>();
    UUID[] ids = candidates.stream().map(Candidate::id).toArray(UUID[]::new);
    jdbi.withExtension(EmbeddingDao.class, dao -> dao.summaries(ids, tenantId))
        .forEach(summary -> summaries.put(summary.id(), summary));
    List<SemanticSearchHit> hits = new ArrayList<>(candidates.size());
    for (Candidate candidate : candidates) {
      RecordSummary summary = summaries.get(candidate.id());
      if (summary != null) {
        hits.add(
            new SemanticSearchHit(
                candidate.id(), candidate.score(), summary.fieldLabel(), summary.valueText()));
      }
    }
    return hits;
  }

  private static String cursorOf(Candidate last) {
    return new SimilarityCursor(last.distance(), last.id()).encode();
  }
}
