package org.feedbackhub.core;

import java.util.Arrays;
import java.util.UUID;
import org.feedbackhub.api.SimilarityCursor;

/**
 * The first pass of a cached search: scans a tenant's 8-bit codes and keeps every vector that could
 * be among the best {@code capacity} after the cursor, so that ranking only those exactly (with
 * {@link SimilarityRanking}, from the stored floats) gives the same page as ranking all of them.
 *
 * @implNote Each code is off by at most half its vector's scale step, so the code dot product
 *     differs from the float one by at most {@code scale * |query|_1 / 2}, plus the rounding of two
 *     float sums of {@code dim} terms (the scan's, in any order, and the exact ranking's), each
 *     within {@code (dim + 2) * 2^-23 * 127 * scale * |query|_1}. That gives every vector a
 *     distance interval that holds its exact distance. A vector whose whole interval passes
 *     min_score and lies after the cursor is a sure candidate; the k-th smallest upper end among
 *     sure candidates bounds the k-th best exact distance from above, so any vector whose lower end
 *     lies beyond it cannot make the page. The pass allocates nothing per vector.
 */
final class CandidateScan {
  private final QuantizedDot dot;

  CandidateScan(QuantizedDot dot) {
    this.dot = dot;
  }

  /** Indices into {@code snapshot}, in scan order, of the vectors to rank exactly. */
  int[] candidates(
      VectorSnapshot snapshot,
      float[] query,
      double minScore,
      SimilarityCursor after,
      UUID exclude,
      int capacity) {
    int dimension = snapshot.dimension();
    double queryNorm = SimilarityRanking.norm(query);
    if (queryNorm == 0 || dimension != query.length || capacity <= 0) {
      return new int[0];
    }
    double queryL1 = 0;
    for (float value : query) {
      queryL1 += Math.abs(value);
    }
    double slack = queryL1 * (0.5 + 1e-6 + 2.0 * 127 * (dimension + 2) * 0x1p-23) / queryNorm;
    double perQueryNorm = 1 / queryNorm;
    double maxDistance = 1 - minScore;
    double cursorDistance = after == null ? Double.NEGATIVE_INFINITY : after.distance();
    UUID[] ids = snapshot.ids();
    byte[] codes = snapshot.codes();
    double[] weights = snapshot.weights();
    KSmallest sure = new KSmallest(capacity);
    int[] kept = new int[256];
    double[] keptLow = new double[256];
    int size = 0;
    for (int i = 0; i < ids.length; i++) {
      double weight = weights[i]; // scale over norm
      if (weight == 0) {
        continue; // the exact ranking skips zero vectors too
      }
      double cosine = dot.dot(query, codes, i * dimension) * weight * perQueryNorm;
      double error = weight * slack + 1e-12;
      double low = clamp(1 - cosine - error);
      double high = clamp(1 - cosine + error);
      if (low > maxDistance || high < cursorDistance) {
        continue;
      }
      if (exclude != null && ids[i].equals(exclude)) {
        continue;
      }
      if (high <= maxDistance && low > cursorDistance) {
        sure.offer(high);
      }
      if (low > sure.bound()) {
        continue;
      }
      if (size == kept.length) {
        size = dropBeyond(kept, keptLow, size, sure.bound());
        if (size > kept.length / 2) {
          kept = Arrays.copyOf(kept, kept.length * 2);
          keptLow = Arrays.copyOf(keptLow, keptLow.length * 2);
        }
      }
      kept[size] = i;
      keptLow[size] = low;
      size++;
    }
    return Arrays.copyOf(kept, dropBeyond(kept, keptLow, size, sure.bound()));
  }

  /** Compacts the kept entries to those whose lower end is within the bound; returns how many. */
  private static int dropBeyond(int[] kept, double[] keptLow, int size, double bound) {
    int to = 0;
    for (int from = 0; from < size; from++) {
      if (keptLow[from] <= bound) {
        kept[to] = kept[from];
        keptLow[to] = keptLow[from];
        to++;
      }
    }
    return to;
  }

  /** The same clamp as the exact distance; monotone, so it keeps an interval an interval. */
  private static double clamp(double distance) {
    return Math.max(0, Math.min(2, distance));
  }

  /** The k smallest values offered, as a max-heap of primitives; its bound is the k-th smallest. */
  private static final class KSmallest {
    private final double[] heap;
    private int size;

    KSmallest(int k) {
      heap = new double[k];
    }

    /** The k-th smallest value so far, or infinity before k values came. */
    double bound() {
      return size < heap.length ? Double.POSITIVE_INFINITY : heap[0];
    }

    void offer(double value) {
      if (size < heap.length) {
        int at = size++;
        while (at > 0 && heap[(at - 1) / 2] < value) {
          heap[at] = heap[(at - 1) / 2];
          at = (at - 1) / 2;
        }
        heap[at] = value;
      } else if (value < heap[0]) {
        int at = 0;
        while (true) {
          int child = 2 * at + 1;
          if (child >= size) {
            break;
          }
          if (child + 1 < size && heap[child + 1] > heap[child]) {
            child++;
          }
          if (heap[child] <= value) {
            break;
          }
          heap[at] = heap[child];
          at = child;
        }
        heap[at] = value;
      }
    }
  }
}
