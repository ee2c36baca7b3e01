package org.feedbackhub.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.UUID;
import org.feedbackhub.api.SimilarityCursor;

/**
 * Exact cosine ranking of one query vector against many, keeping only the best {@code capacity}
 * candidates after the cursor, in (distance, id) order: memory is O(capacity), not O(vectors).
 */
final class SimilarityRanking {
  /** A ranked vector; distance is {@code 1 - cosine}, clamped to 0..2. */
  record Candidate(UUID id, double distance) {
    double score() {
      return 1 - distance;
    }
  }

  private static final Comparator<Candidate> ORDER =
      Comparator.comparingDouble(Candidate::distance).thenComparing(Candidate::id);

  private final float[] query;
  private final double queryNorm;
  private final double maxDistance;
  private final SimilarityCursor after;
  private final UUID exclude;
  private final int capacity;
  private final PriorityQueue<Candidate> worstFirst;

  SimilarityRanking(
      float[] query, double minScore, SimilarityCursor after, UUID exclude, int capacity) {
    this.query = query;
    this.queryNorm = norm(query);
    this.maxDistance = 1 - minScore;
    this.after = after;
    this.exclude = exclude;
    this.capacity = capacity;
    this.worstFirst = new PriorityQueue<>(capacity + 1, ORDER.reversed());
  }

  static double norm(float[] vector) {
    double squares = 0;
    for (float value : vector) {
      squares += (double) value * value;
    }
    return Math.sqrt(squares);
  }

  /** Offers one stored vector, with its norm precomputed. */
  void offer(UUID id, float[] vector, double vectorNorm) {
    if (vector.length != query.length) {
      return;
    }
    offer(id, vector, 0, vectorNorm);
  }

  /** Offers the vector stored at {@code data[offset .. offset + dimension)}. */
  void offer(UUID id, float[] data, int offset, double vectorNorm) {
    if (vectorNorm == 0 || queryNorm == 0 || id.equals(exclude)) {
      return;
    }
    double distance = distance(dot(query, data, offset), vectorNorm);
    consider(id, distance);
  }

  /**
   * The dot product with four independent float accumulators: the JIT pipelines them, about four
   * times faster than one double accumulator, and the result is the same on every call.
   */
  static double dot(float[] query, float[] data, int offset) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int n = query.length;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += query[i] * data[offset + i];
      s1 += query[i + 1] * data[offset + i + 1];
      s2 += query[i + 2] * data[offset + i + 2];
      s3 += query[i + 3] * data[offset + i + 3];
    }
    for (; i < n; i++) {
      s0 += query[i] * data[offset + i];
    }
    return (double) s0 + s1 + s2 + s3;
  }

  private double distance(double dot, double vectorNorm) {
    return Math.max(0, Math.min(2, 1 - dot / (queryNorm * vectorNorm)));
  }

  private void consider(UUID id, double distance) {
    if (distance > maxDistance) {
      return;
    }
    if (after != null) {
      int versus = Double.compare(distance, after.distance());
      if (versus < 0 || (versus == 0 && id.compareTo(after.id()) <= 0)) {
        return;
      }
    }
    Candidate candidate = new Candidate(id, distance);
    if (worstFirst.size() < capacity) {
      worstFirst.add(candidate);
    } else if (ORDER.compare(candidate, worstFirst.peek()) < 0) {
      worstFirst.poll();
      worstFirst.add(candidate);
    }
  }

  /** The kept candidates, best first. */
  List<Candidate> best() {
    List<Candidate> sorted = new ArrayList<>(worstFirst);
    sorted.sort(ORDER);
    return sorted;
  }
}
