package org.feedbackhub.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.feedbackhub.api.SemanticSearchHit;
import org.feedbackhub.api.SemanticSearchResponse;
import org.feedbackhub.api.SimilarityPage;
import org.feedbackhub.db.Vectors;
import org.feedbackhub.embeddings.Embedder;
import org.feedbackhub.embeddings.EmbeddingProvider;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/**
 * Ranking against real PostgreSQL with hand-made vectors: the cached and the streamed paths agree,
 * and the cache follows inserts, updates and deletes made behind its back (another instance).
 */
class SemanticSearchServiceTest {
  static final String MODEL = "test-model-" + UUID.randomUUID();

  /** Embeds a query "x,y,z" as that vector. */
  static final EmbeddingProvider PROVIDER =
      new EmbeddingProvider() {
        @Override
        public String model() {
          return MODEL;
        }

        @Override
        public OptionalInt dimension() {
          return OptionalInt.of(3);
        }

        @Override
        public List<float[]> embed(List<String> texts) {
          return texts.stream().map(SemanticSearchServiceTest::parse).toList();
        }
      };

  final Jdbi jdbi =
      Jdbi.create(TestDatabase.get().dataSource())
          .installPlugin(new SqlObjectPlugin())
          .installPlugin(new PostgresPlugin());
  final Embedder embedder = new Embedder(PROVIDER, false, OptionalInt::empty);

  static float[] parse(String text) {
    String[] parts = text.split(",");
    float[] vector = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      vector[i] = Float.parseFloat(parts[i]);
    }
    return vector;
  }

  static String record(String tenant, String text, String vector) {
    String id =
        Db.queryStrings(
                "INSERT INTO feedback_records (source_type, field_id, field_type, submission_id,"
                    + " tenant_id, value_text) VALUES ('t', 'q', 'text', ?, ?, ?) RETURNING id",
                UUID.randomUUID().toString(),
                tenant,
                text)
            .get(0);
    if (vector != null) {
      setVector(id, vector);
    }
    return id;
  }

  static void setVector(String id, String vector) {
    Db.execute(
        "INSERT INTO embeddings (feedback_record_id, embedding, model) VALUES (?::uuid,"
            + " ?::real[], ?) ON CONFLICT (feedback_record_id, model) DO UPDATE SET embedding ="
            + " EXCLUDED.embedding, updated_at = now()",
        id,
        Vectors.toArrayLiteral(parse(vector)),
        MODEL);
  }

  static List<String> texts(SemanticSearchResponse response) {
    return response.data().stream().map(SemanticSearchHit::valueText).toList();
  }

  static SimilarityPage all() {
    return SimilarityPage.parse("100", "0", null);
  }

  @Test
  void cachedAndStreamedRankingsAgreeExactly() {
    String tenant = TenantIds.fresh();
    record(tenant, "east", "1,0,0");
    record(tenant, "north-east", "1,1,0");
    record(tenant, "north", "0,1,0");
    record(tenant, "west", "-1,0,0");
    record(tenant, "up, scaled", "0,0,5");
    SemanticSearchService cached =
        new SemanticSearchService(jdbi, embedder, 1000, Duration.ZERO, Runnable::run);
    SemanticSearchService streamed =
        new SemanticSearchService(jdbi, embedder, 0, Duration.ZERO, Runnable::run);
    SemanticSearchResponse a = cached.search("2,0,0", tenant, all());
    SemanticSearchResponse b = streamed.search("2,0,0", tenant, all());
    assertThat(a).isEqualTo(b);
    // min_score is clamped to 0..1: "west" (similarity -1) never qualifies.
    assertThat(texts(a)).containsExactly("east", "north-east", "north", "up, scaled");
    assertThat(a.data().get(0).score()).isEqualTo(1.0);
    assertThat(a.data().get(1).score())
        .isCloseTo(Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(a.data().get(3).score()).isEqualTo(0.0);
    assertThat(cached.search("2,0,0", tenant, SimilarityPage.parse(null, null, null)).data())
        .extracting(SemanticSearchHit::valueText)
        .containsExactly("east", "north-east");
  }

  @Test
  void theCacheFollowsWritesMadeBehindItsBack() {
    String tenant = TenantIds.fresh();
    String moving = record(tenant, "moving", "0,1,0");
    String doomed = record(tenant, "doomed", "1,0.1,0");
    SemanticSearchService service =
        new SemanticSearchService(jdbi, embedder, 1000, Duration.ZERO, Runnable::run);
    assertThat(texts(service.search("1,0,0", tenant, all()))).containsExactly("doomed", "moving");

    setVector(moving, "1,0,0");
    record(tenant, "new", "0,0,1");
    Db.execute("DELETE FROM feedback_records WHERE id = ?::uuid", doomed);
    assertThat(texts(service.search("1,0,0", tenant, all()))).containsExactly("moving", "new");
    assertThat(service.cachedVectors()).isEqualTo(2);
  }

  @Test
  void similarExcludesTheSourceAndStaysInItsTenant() {
    String tenant = TenantIds.fresh();
    String other = TenantIds.fresh();
    String source = record(tenant, "source", "1,0,0");
    record(tenant, "near", "1,0.2,0");
    record(other, "twin elsewhere", "1,0,0");
    SemanticSearchService service =
        new SemanticSearchService(jdbi, embedder, 1000, Duration.ZERO, Runnable::run);
    assertThat(texts(service.similar(UUID.fromString(source), all()))).containsExactly("near");
  }
}
