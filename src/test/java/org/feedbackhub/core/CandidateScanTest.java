package org.feedbackhub.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.feedbackhub.api.SimilarityCursor;
import org.feedbackhub.core.SimilarityRanking.Candidate;
import org.feedbackhub.db.EmbeddingDao.Fingerprint;
import org.junit.jupiter.api.Test;

/**
 * The scan over 8-bit codes followed by an exact ranking of its candidates gives exactly the pages
 * an exact ranking of every vector gives: on the benchmark's data (random unit 384-d vectors,
 * 100,000 of them), with cursors, min_score and an excluded source, and on data made of ties.
 */
class CandidateScanTest {
  /** Vectors kept as floats (the table) and as a snapshot (the cache). */
  private record Tenant(UUID[] ids, float[][] vectors, VectorSnapshot snapshot) {}

  private static Tenant tenant(float[][] vectors, Random random) {
    VectorSnapshot.Builder builder = new VectorSnapshot.Builder(vectors.length, 0);
    UUID[] ids = new UUID[vectors.length];
    for (int i = 0; i < vectors.length; i++) {
      ids[i] = new UUID(random.nextLong(), random.nextLong());
      builder.add(ids[i], i, vectors[i]);
    }
    return new Tenant(ids, vectors, builder.build(new Fingerprint(vectors.length, "0"), 0));
  }

  /** As the benchmark fills a tenant: uniform -1..1 per element, normalised. */
  private static float[][] benchVectors(int count, int dimension, Random random) {
    float[][] vectors = new float[count][];
    for (int i = 0; i < count; i++) {
      vectors[i] = unit(random, dimension);
    }
    return vectors;
  }

  private static float[] unit(Random random, int dimension) {
    float[] vector = new float[dimension];
    double squares = 0;
    for (int j = 0; j < dimension; j++) {
      double value = random.nextDouble() * 2 - 1;
      vector[j] = (float) value;
      squares += value * value;
    }
    for (int j = 0; j < dimension; j++) {
      vector[j] = (float) (vector[j] / Math.sqrt(squares));
    }
    return vector;
  }

  private static List<Candidate> exact(
      Tenant tenant, float[] query, double minScore, SimilarityCursor after, UUID exclude, int k) {
    SimilarityRanking ranking = new SimilarityRanking(query, minScore, after, exclude, k);
    for (int i = 0; i < tenant.ids().length; i++) {
      float[] vector = tenant.vectors()[i];
      ranking.offer(tenant.ids()[i], vector, SimilarityRanking.norm(vector));
    }
    return ranking.best();
  }

  private static List<Candidate> scanned(
      CandidateScan scan,
      Tenant tenant,
      float[] query,
      double minScore,
      SimilarityCursor after,
      UUID exclude,
      int k) {
    SimilarityRanking ranking = new SimilarityRanking(query, minScore, after, exclude, k);
    for (int i : scan.candidates(tenant.snapshot(), query, minScore, after, exclude, k)) {
      float[] vector = tenant.vectors()[i];
      ranking.offer(tenant.ids()[i], vector, SimilarityRanking.norm(vector));
    }
    return ranking.best();
  }

  /** Pages through both rankings with the page's own cursor, as a client does. */
  private static void assertSamePages(
      List<CandidateScan> scans,
      Tenant tenant,
      float[] query,
      double minScore,
      UUID exclude,
      int limit,
      int pages) {
    SimilarityCursor after = null;
    for (int page = 0; page < pages; page++) {
      List<Candidate> expected = exact(tenant, query, minScore, after, exclude, limit + 1);
      for (CandidateScan scan : scans) {
        assertThat(scanned(scan, tenant, query, minScore, after, exclude, limit + 1))
            .isEqualTo(expected);
      }
      if (expected.size() <= limit) {
        return;
      }
      Candidate last = expected.get(limit - 1);
      after = new SimilarityCursor(last.distance(), last.id());
    }
  }

  private static List<CandidateScan> bothScans() {
    return List.of(
        new CandidateScan(QuantizedDot.fastest()), new CandidateScan(new ScalarQuantizedDot()));
  }

  @Test
  void onTheBenchmarksDataEveryPageIsTheExactOne() {
    Random random = new Random(20261204);
    Tenant tenant = tenant(benchVectors(100_000, 384, random), random);
    CandidateScan scan = new CandidateScan(QuantizedDot.fastest());
    List<CandidateScan> scans = bothScans();
    for (int q = 0; q < 12; q++) {
      float[] query = q % 2 == 0 ? unit(random, 384) : tenant.vectors()[random.nextInt(100_000)];
      UUID exclude = q % 2 == 0 ? null : tenant.ids()[indexOf(tenant, query)];
      assertSamePages(q < 2 ? scans : List.of(scan), tenant, query, 0, exclude, 10, 3);
    }
    float[] query = unit(random, 384);
    assertSamePages(List.of(scan), tenant, query, 0.15, null, 100, 2);
    int candidates = scan.candidates(tenant.snapshot(), query, 0, null, null, 11).length;
    assertThat(candidates).as("few vectors need the exact ranking").isBetween(11, 500);
  }

  private static int indexOf(Tenant tenant, float[] vector) {
    for (int i = 0; i < tenant.vectors().length; i++) {
      if (tenant.vectors()[i] == vector) {
        return i;
      }
    }
    throw new AssertionError("not in the tenant");
  }

  @Test
  void tiesDuplicatesAndZeroVectorsPageExactlyToo() {
    Random random = new Random(7);
    float[][] distinct = benchVectors(40, 16, random);
    float[][] vectors = new float[3000][];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = i % 500 == 0 ? new float[16] : distinct[random.nextInt(distinct.length)].clone();
      if (i % 7 == 0) {
        for (int j = 0; j < 16; j++) {
          vectors[i][j] *= 3; // same direction, another length: the same distance
        }
      }
    }
    Tenant tenant = tenant(vectors, random);
    for (int q = 0; q < 5; q++) {
      float[] query = distinct[q];
      assertSamePages(bothScans(), tenant, query, 0, null, 25, 200);
      assertSamePages(bothScans(), tenant, query, 0.5, tenant.ids()[q], 7, 50);
    }
  }

  @Test
  void smallHandMadeVectorsAndCursorsAtTheEdges() {
    float[][] vectors = {{1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {-1, 0, 0}, {0, 0, 5}, {1e-30f, 0, 0}};
    Random random = new Random(3);
    Tenant tenant = tenant(vectors, random);
    float[] query = {2, 0, 0};
    assertSamePages(bothScans(), tenant, query, 0, null, 1, 10);
    assertSamePages(bothScans(), tenant, query, 1, null, 1, 10);
    SimilarityCursor atZero = new SimilarityCursor(0, new UUID(Long.MIN_VALUE, Long.MIN_VALUE));
    for (CandidateScan scan : bothScans()) {
      assertThat(scanned(scan, tenant, query, 0, atZero, null, 5))
          .isEqualTo(exact(tenant, query, 0, atZero, null, 5));
      assertThat(scan.candidates(tenant.snapshot(), new float[3], 0, null, null, 5)).isEmpty();
    }
    assertThat(new ArrayList<>(exact(tenant, query, 0, atZero, null, 5))).hasSize(5);
  }
}
